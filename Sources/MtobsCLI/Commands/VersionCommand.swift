import ArgumentParser
import MtobsCore

struct VersionCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "version",
    abstract: "Print the versions of mtobs, kubectl, skaffold, helm and the cluster.",
    discussion: """
      Examples:
        mtobs version            # also asks the cluster for its version
        mtobs version --client   # no cluster needed
        mtobs version -o json
      """
  )

  @OptionGroup var global: GlobalOptions

  @Flag(help: "Do not contact the cluster.")
  var client = false

  @Option(name: [.customShort("o", allowingJoined: true), .long], help: "Output format: table or json.")
  var output: OutputFormat = .table

  var wantsJSON: Bool { output == .json }
  /// The client's version needs no configuration: a broken mtobs.yaml must not hide it.
  var runsWithBrokenConfiguration: Bool { client }

  func execute(in run: Run) async throws {
    for problem in run.configurationProblems {
      run.console.warning("configuration ignored: \(problem.description)")
    }
    let report = await VersionReport.collect(run: run, includeServer: !client)
    switch output {
    case .json: run.console.print(try report.json())
    case .table: run.console.print(report.text())
    }
    if let failure = report.server?.failure {
      // The versions that could be read are printed; the unreachable server still fails the run.
      throw AlreadyInReport(failure)
    }
  }
}

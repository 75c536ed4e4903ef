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

  @OptionGroup var requestTimeout: RequestTimeoutOption

  var settings: GlobalSettings { requestTimeout.applied(to: global.settings) }

  @Flag(help: "Do not contact the cluster.")
  var client = false

  @Option(name: .shortAndLong, help: "Output format: table or json.")
  var output: OutputFormat = .table

  func run(_ context: Context) async throws {
    let report = await VersionReport.collect(context: context, includeServer: !client)
    switch output {
    case .json: context.console.print(try report.json())
    case .table: context.console.print(report.text())
    }
    if let failure = report.server?.failure {
      // The versions that could be read are printed; the unreachable server still fails the run.
      throw failure
    }
  }
}

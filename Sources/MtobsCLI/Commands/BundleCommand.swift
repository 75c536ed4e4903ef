import ArgumentParser
import Foundation
import MtobsCore

struct BundleCommand: MtobsCommand {
  static let configuration = CommandConfiguration(
    commandName: "bundle",
    abstract: "Capture everything `health` reads into one file for offline analysis.",
    discussion: """
      The bundle holds the stack's workloads, pods, services and recent events, the
      Dapr Configuration, every probe answer (collector health and metrics, the
      backends' /ready, Grafana /api/health) and the last log lines of each
      container. The file is readable by its owner only (mode 0600). Removed
      before writing:
        - Secret data and stringData, managedFields, last-applied annotations;
        - values of env vars and annotations whose name contains password,
          passwd, passphrase, secret, token, credential or private, is pass,
          pwd or auth, or ends in key (API_KEY, apikey);
        - in args, commands, env values, annotations, events, log lines and
          probe answers: URL passwords (https://user:<redacted>@host), values
          of NAME=VALUE, "NAME": "VALUE" and --NAME VALUE for such names
          (--password=x, --token x, token=x in a query), and Bearer tokens.
      Anything else stays, so read a bundle before attaching it. It also holds
      what debug-dapr reads (Dapr's control plane, Configurations, the Dapr pods
      of every namespace and their daprd log lines) and what verify reads.
      Evaluate it anywhere, with no cluster:

        mtobs health --from FILE
        mtobs debug-dapr --from FILE [--app-namespace NS | --all-namespaces]
        mtobs verify --from FILE

      Examples:
        mtobs bundle                          # mtobs-bundle-CONTEXT-TIME.json
        mtobs bundle -o /tmp/incident-42.json --context prod
      """
  )

  @OptionGroup var global: GlobalOptions

  @Option(
    name: [.customShort("o", allowingJoined: true), .long],
    help: ArgumentHelp("Where to write the bundle ('-' for stdout).", valueName: "file"), completion: .file())
  var output: String?

  @Option(help: "Log lines to keep per container.")
  var tail = 200

  func execute(in run: Run) async throws {
    if let output, output != "-" {
      // Say it before reading the whole cluster, not after.
      let directory = (output as NSString).deletingLastPathComponent
      guard FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else {
        throw CommandFailure(
          "cannot write '\(output)': its folder does not exist or is not writable",
          hint: "create the folder, or choose another place with -o FILE")
      }
    }
    let kube = try await run.kube().pinningCurrentContext()
    kube.connect()
    // What debug-dapr reads too, so `debug-dapr --from` works offline.
    var daprCollector = DaprCollector(
      health: HealthCollector.live(run: run, kube: kube),
      appNamespaces: [run.configuration.text(.appNamespace)], allNamespaces: false)
    // Every namespace's Dapr pods, so `debug-dapr --from FILE --app-namespace NS` can judge any.
    daprCollector.readsEveryNamespace = true
    async let dapr = daprCollector.collect(includeLogs: true, logTail: tail)
    // What `verify` reads too (its five steps, never --send), for `verify --from`.
    async let verify = try? await VerifyRunner(
      collector: VerifyCollector(
        kube: kube, configuration: run.configuration, contract: HealthCollector.deployContract(run: run),
        options: .init(appNamespace: run.configuration.text(.appNamespace), since: .seconds(900))),
      clock: run.clock
    ).run(options: .init()).1
    var snapshot = await dapr
    snapshot.verify = await verify
    // Reads cut short by Ctrl-C are not the cluster's state: write no bundle of them.
    try Task.checkCancellation()
    if let error = snapshot.server.error {
      // Without an API server there is nothing worth capturing.
      throw KubeError(error.reason, error.message, hint: error.hint)
    }
    if output == "-" {
      run.console.write(Array(try BundleFile.encode(snapshot)) + Array("\n".utf8))
      return
    }
    let path = output ?? Self.defaultName(context: snapshot.context, time: snapshot.capturedAt)
    try BundleFile.write(snapshot, to: path)
    let pods = snapshot.stack.value?.count { $0.kind == "Pod" } ?? 0
    run.console.printError(
      "wrote \(path): \(snapshot.stack.value?.count ?? 0) objects (\(pods) pods), \(snapshot.probes.count) probe answers, "
        + "\(snapshot.logs.count) log tails; secret values removed\n  evaluate it with: mtobs health --from \(path)"
        + " (and mtobs debug-dapr --from \(path)" + (snapshot.verify == nil ? ")" : ", mtobs verify --from \(path))"))
  }

  static func defaultName(context: String?, time: String) -> String {
    let stamp = time.replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
    let safeContext = (context ?? "cluster").map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
    return "mtobs-bundle-\(String(safeContext))-\(stamp).json"
  }
}

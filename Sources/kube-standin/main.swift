import Foundation
import KubeStandIn

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `kube-standin --state FILE [--port N] [--delay-ms N] [--kubeconfig OUT] [--context NAME] [--namespace NS]`
///
/// Serves a state file (see Sources/KubeStandIn/README.md) on 127.0.0.1, prints
/// `listening on http://127.0.0.1:PORT` once ready, and runs until SIGTERM or SIGINT (then exits 0).

let usage = """
  usage: kube-standin [--state FILE] [--port N] [--delay-ms N] [--kubeconfig OUT] [--context NAME] [--namespace NS]

    --state FILE       the scenario to serve (objects, proxy answers, logs, behaviour); empty cluster without it
    --port N           port on 127.0.0.1 (default: a free one)
    --delay-ms N       delay added to every request (overrides the state file's behavior.delayMs)
    --kubeconfig OUT   write a kubeconfig for the server there
    --context NAME     its context name (default: standin)
    --namespace NS     its context's namespace
    --export-state     print the loaded scenario as a state file and exit
    --bench-logs P:L   add P pods bench-0… (app=bench, namespace monitoring) with L generated log lines each
    --telemetry S      play the LGTM stack of the example (Loki, Tempo, Mimir, Pyroscope, the collector's
                       receivers) behind the service proxy; what is sent becomes visible after S seconds

  """

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("kube-standin: \(message)\n".utf8))
  exit(2)
}

func say(_ message: String) {
  FileHandle.standardOutput.write(Data((message + "\n").utf8))
}

var statePath: String?
var port = 0
var delayMs: Int?
var kubeconfigPath: String?
var contextName = "standin"
var namespace: String?
var exportOnly = false
var benchLogs: (pods: Int, lines: Int)?
var telemetryDelay: Double?

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func value(for flag: String) -> String {
  guard !arguments.isEmpty else { fail("\(flag) needs a value\n\(usage)") }
  return arguments.removeFirst()
}
while !arguments.isEmpty {
  var flag = arguments.removeFirst()
  if let equals = flag.firstIndex(of: "="), flag.hasPrefix("--") {
    arguments.insert(String(flag[flag.index(after: equals)...]), at: 0)
    flag = String(flag[..<equals])
  }
  switch flag {
  case "--state": statePath = value(for: flag)
  case "--port":
    guard let number = Int(value(for: flag)), (0...65535).contains(number) else { fail("--port needs a port number") }
    port = number
  case "--delay-ms":
    guard let number = Int(value(for: flag)), number >= 0 else { fail("--delay-ms needs a number of milliseconds") }
    delayMs = number
  case "--kubeconfig": kubeconfigPath = value(for: flag)
  case "--context": contextName = value(for: flag)
  case "--namespace", "-n": namespace = value(for: flag)
  case "--export-state": exportOnly = true
  case "--bench-logs":
    let parts = value(for: flag).split(separator: ":").compactMap { Int($0) }
    guard parts.count == 2, parts[0] >= 0, parts[1] >= 0 else { fail("--bench-logs needs PODS:LINES") }
    benchLogs = (parts[0], parts[1])
  case "--telemetry":
    guard let seconds = Double(value(for: flag)), seconds >= 0, seconds < 3600 else {
      fail("--telemetry needs the ingest delay in seconds")
    }
    telemetryDelay = seconds
  case "-h", "--help":
    say(usage)
    exit(0)
  default: fail("unknown argument \(flag)\n\(usage)")
  }
}

let scenario: StandInScenario
do {
  scenario = try statePath.map { try StateFile.load(contentsOfFile: $0) } ?? StandInScenario(state: ClusterState())
} catch {
  fail("cannot load \(statePath ?? ""): \(error)")
}
var behavior = scenario.behavior
if let benchLogs {
  do {
    try scenario.state.addBenchLogs(pods: benchLogs.pods, lines: benchLogs.lines)
  } catch {
    fail("cannot add the benchmark logs: \(error)")
  }
}
if let delayMs { behavior.delay = .milliseconds(delayMs) }
// verify's benchmark: the round trip's latency against a known ingest delay.
let telemetry = TelemetryStandIn()
if let telemetryDelay {
  telemetry.update { $0.ingestDelay = telemetryDelay }
  telemetry.install(
    on: scenario.state, namespace: "monitoring", loki: ("loki", 3100), tempo: ("tempo", 3200), mimir: ("mimir", 9009),
    pyroscope: ("pyroscope", 4040), collector: ("otel-collector-opentelemetry-collector", 4318, 9411))
}

if exportOnly {
  do {
    say(try StateFile.export(state: scenario.state, behavior: behavior))
    exit(0)
  } catch {
    fail("cannot export: \(error)")
  }
}

// Signals are taken by a dispatch source instead of killing the process, so the port closes cleanly.
signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let (signals, signalContinuation) = AsyncStream<Int32>.makeStream()
let signalSources = [SIGTERM, SIGINT].map { number in
  let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
  source.setEventHandler { signalContinuation.yield(number) }
  source.resume()
  return source
}

let server = StandInAPIServer(state: scenario.state, behavior: behavior)
do {
  try await server.start(port: port)
  if let kubeconfigPath {
    try server.writeKubeconfig(to: kubeconfigPath, context: contextName, namespace: namespace)
  }
} catch {
  fail("cannot start: \(error)")
}
say("listening on \(server.url)")

for await _ in signals { break }
try? await server.stop()
// What the clients asked, for benchmarks that report requests per run.
let requests = server.requests.filter { !$0.isDispatcherProbe }
say("served \(requests.count) requests (\(requests.filter { $0.resource != nil }.count) resource or proxy requests)")
withExtendedLifetime(signalSources) {}
exit(0)

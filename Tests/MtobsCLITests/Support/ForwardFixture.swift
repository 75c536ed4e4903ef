import Foundation
import KubeStandIn
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A stack with Grafana and Pyroscope on the stand-in API server, an HTTP server on 127.0.0.1
/// playing their pods, and the stand-in kubectl (Tests/StandInTools/kubectl-forward) whose
/// `port-forward` relays to it and can be killed, made to hang or refused.
final class ForwardFixture {
  static let tools = CLI.packageRoot.appendingPathComponent("Tests/StandInTools")
  static let password = "s3cr3t-Pa55-\(UUID().uuidString.prefix(8))"

  let home: TemporaryDirectory
  let cli: CLI
  let cluster: StandInCluster
  let pod: Process
  let forwardDirectory: URL

  static var state: String {
    func component(_ name: String, service: String, port: Int, targetPort: Int) -> String {
      """
      - apiVersion: v1
        kind: Service
        metadata: {name: \(service), namespace: monitoring, labels: {app.kubernetes.io/name: \(name)}}
        spec:
          selector: {app.kubernetes.io/name: \(name)}
          ports: [{name: http, port: \(port), targetPort: \(targetPort)}]
      - apiVersion: v1
        kind: Pod
        metadata: {name: \(name)-7c9d5-abcde, namespace: monitoring, labels: {app.kubernetes.io/name: \(name)}}
        spec: {containers: [{name: \(name), image: example/\(name):1}]}
        status:
          phase: Running
          conditions: [{type: Ready, status: 'True'}]
      """
    }
    let user = Data("admin".utf8).base64EncodedString()
    let password = Data(password.utf8).base64EncodedString()
    return """
      namespaces: [default, monitoring]
      objects:
      \(component("grafana", service: "lgtm-grafana", port: 80, targetPort: 3000))
      \(component("pyroscope", service: "pyroscope", port: 4040, targetPort: 4040))
      - apiVersion: v1
        kind: Secret
        metadata: {name: lgtm-grafana, namespace: monitoring}
        type: Opaque
        data: {admin-user: \(user), admin-password: \(password)}

      """
  }

  /// Grafana's pod as the state has it (to add a replacement under another name).
  static var grafanaPod: JSONValue {
    [
      "apiVersion": "v1", "kind": "Pod",
      "metadata": [
        "name": "grafana-7c9d5-abcde", "namespace": "monitoring", "labels": ["app.kubernetes.io/name": "grafana"],
      ],
      "spec": ["containers": [["name": "grafana", "image": "example/grafana:1"]]],
      "status": ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]],
    ]
  }

  init() async throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
    cluster = try await StandInCluster(stateYAML: Self.state, in: home)
    forwardDirectory = home.url.appendingPathComponent("forward")
    try FileManager.default.createDirectory(at: forwardDirectory, withIntermediateDirectories: true)
    pod = Process()
    pod.executableURL = Self.tools.appendingPathComponent("pod-http-server")
    let output = Pipe()
    pod.standardOutput = output
    pod.standardError = FileHandle.nullDevice
    try pod.run()
    let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      kill(pod.processIdentifier, SIGKILL)
      throw FixtureError(message: "the pod's HTTP server printed no port: '\(line)'")
    }
    try "127.0.0.1:\(port)".write(
      to: forwardDirectory.appendingPathComponent("target"), atomically: true, encoding: .utf8)
  }

  struct FixtureError: Error { let message: String }

  var environment: [String: String] {
    cli.environment.merging([
      "MTOBS_KUBECTL": Self.tools.appendingPathComponent("kubectl-forward").path,
      "MTOBS_FORWARD_DIR": forwardDirectory.path,
      "MTOBS_REAL_KUBECTL": which("kubectl") ?? "/usr/bin/kubectl",
    ]) { $1 }
  }

  func setMode(_ mode: String) throws {
    try mode.write(to: forwardDirectory.appendingPathComponent("mode"), atomically: true, encoding: .utf8)
  }

  /// The stand-in port-forwards started so far: pid and pod, in order.
  var tunnels: [(pid: Int32, pod: String)] {
    let text = (try? String(contentsOf: forwardDirectory.appendingPathComponent("children"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { line in
      let words = line.split(separator: " ")
      guard words.count == 2, let pid = Int32(words[0]) else { return nil }
      return (pid, String(words[1]))
    }
  }

  /// Starts `mtobs ARGS` against the stand-in, in the background.
  func start(_ arguments: [String]) throws -> BackgroundMtobs {
    try BackgroundMtobs(
      arguments: arguments + cluster.flags, environment: environment, directory: cli.workingDirectory,
      scratch: home.url)
  }

  /// Ends the pod's server now and the stand-in API server in the background.
  func stop() {
    // SIGKILL: a child of the test process may start with SIGTERM blocked (the spawning thread's mask).
    kill(pod.processIdentifier, SIGKILL)
    pod.waitUntilExit()
    let cluster = cluster
    Task { await cluster.stop() }
  }
}

/// A background `mtobs` whose output goes to files the test reads while it runs.
struct BackgroundMtobs {
  let process: Process
  let outputFile: URL
  let errorFile: URL

  init(arguments: [String], environment: [String: String], directory: URL, scratch: URL) throws {
    process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.mtobsPath)
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = directory
    outputFile = scratch.appendingPathComponent("out-\(UUID().uuidString)")
    errorFile = scratch.appendingPathComponent("err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: outputFile)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  var standardOutput: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
  var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }
  var transcript: String { "--- stdout\n\(standardOutput)--- stderr\n\(standardError)" }

  /// The local port of the first `http://127.0.0.1:PORT` mtobs printed, once it has.
  func waitForURL(upTo deadline: Duration = .seconds(30)) async throws -> Int? {
    var port: Int?
    _ = try await ProcessTable.wait(upTo: deadline) {
      guard let range = standardOutput.range(of: "http://127.0.0.1:") else { return !process.isRunning }
      port = Int(standardOutput[range.upperBound...].prefix { $0.isNumber })
      return port != nil
    }
    return port
  }

  /// Sends `signal` and waits for the exit status; nil (and a kill) if it does not end in time.
  func stop(with signal: Int32, upTo deadline: Duration = .seconds(20)) async throws -> Int32? {
    kill(process.processIdentifier, signal)
    let ended = try await ProcessTable.wait(upTo: deadline) { !process.isRunning }
    if !ended {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return nil
    }
    process.waitUntilExit()
    return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
  }
}

/// One HTTP GET to 127.0.0.1:`port` with a plain socket read: the status code, or nil when the
/// connection failed or was reset.
func httpStatus(port: Int, path: String = "/api/health", timeout: Duration = .seconds(5)) -> Int? {
  let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard descriptor >= 0 else { return nil }
  defer { close(descriptor) }
  var time = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
  setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = in_port_t(UInt16(port).bigEndian)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  let connected = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard connected == 0 else { return nil }
  let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
  guard send(descriptor, request, request.utf8.count, 0) == request.utf8.count else { return nil }
  var buffer = [UInt8](repeating: 0, count: 4096)
  var received: [UInt8] = []
  while received.count < 12 {
    let count = recv(descriptor, &buffer, buffer.count, 0)
    guard count > 0 else { break }
    received += buffer[0..<count]
  }
  let text = String(decoding: received, as: UTF8.self)
  guard text.hasPrefix("HTTP/1.") else { return nil }
  return Int(text.dropFirst(9).prefix(3))
}

/// A listening socket on 127.0.0.1 held by this test process (a busy port); its port and descriptor.
func listeningSocket() -> (port: Int, descriptor: Int32)? {
  let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard descriptor >= 0 else { return nil }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_port = 0
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard bound == 0, listen(descriptor, 4) == 0 else {
    close(descriptor)
    return nil
  }
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
  }
  return (Int(UInt16(bigEndian: address.sin_port)), descriptor)
}

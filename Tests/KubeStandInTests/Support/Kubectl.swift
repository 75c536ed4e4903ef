import Foundation
import KubeStandIn
import Testing

/// The real kubectl the integration tests drive: `STANDIN_KUBECTL`, else the first `kubectl` on PATH.
/// Tests that need it are disabled (with this reason shown by the test runner) when it is missing,
/// instead of failing on machines without kubectl.
enum Kubectl {
  static let path: String? = find(environment: ProcessInfo.processInfo.environment)
  static var isAvailable: Bool { path != nil }
  static var missingReason: Comment { "no kubectl on PATH (or STANDIN_KUBECTL): these tests drive the real kubectl" }

  static func find(environment: [String: String]) -> String? {
    if let chosen = environment["STANDIN_KUBECTL"] {
      return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
    }
    let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
    return directories.lazy.map { $0 + "/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// The path, for tests that run only when it is there.
  static func executable() throws -> String {
    guard let path else { throw KubectlMissing() }
    return path
  }

  /// The folder holding kubectl: the gcloud dispatcher finds its versioned binaries next to itself on PATH.
  static var directory: String { path.map { ($0 as NSString).deletingLastPathComponent } ?? "/usr/bin" }

  struct KubectlMissing: Error, CustomStringConvertible {
    var description: String { "no kubectl on PATH" }
  }
}

/// The outcome of one kubectl run.
struct KubectlResult: Sendable {
  var status: Int32
  var stdout: String
  var stderr: String
  var elapsed: Duration
  var succeeded: Bool { status == 0 }
}

/// One test's server, kubeconfig and private HOME / cache dir (so discovery caching never leaks between tests).
final class StandInFixture: Sendable {
  let server: StandInAPIServer
  let directory: String
  var state: ClusterState { server.state }
  var kubeconfig: String { directory + "/kubeconfig" }

  private init(server: StandInAPIServer, directory: String) {
    self.server = server
    self.directory = directory
  }

  /// Runs `body` with a started server and a kubeconfig for it; stops the server and removes files after.
  static func with<T: Sendable>(
    state: ClusterState = ClusterState(), behavior: StandInBehavior = StandInBehavior(), namespace: String? = nil,
    _ body: (StandInFixture) async throws -> T
  ) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("standin-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
    let server = StandInAPIServer(state: state, behavior: behavior)
    try await server.start()
    let fixture = StandInFixture(server: server, directory: directory)
    try server.writeKubeconfig(to: fixture.kubeconfig, namespace: namespace)
    do {
      let result = try await body(fixture)
      try? await server.stop()
      try? FileManager.default.removeItem(atPath: directory)
      return result
    } catch {
      try? await server.stop()
      try? FileManager.default.removeItem(atPath: directory)
      throw error
    }
  }

  func arguments(_ arguments: [String]) -> [String] {
    ["--kubeconfig", kubeconfig, "--cache-dir", directory + "/cache"] + arguments
  }

  var environment: [String: String] {
    ["HOME": directory + "/home", "PATH": Kubectl.directory + ":/usr/bin:/bin", "LANG": "C"]
  }

  /// Runs kubectl to completion (killing it after `timeout`).
  func kubectl(
    _ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)
  ) async throws -> KubectlResult {
    let process = try BackgroundProcess(
      executable: try Kubectl.executable(), arguments: self.arguments(arguments), environment: environment,
      directory: directory, stdin: stdin)
    let start = ContinuousClock.now
    let status = await process.wait(timeout: timeout)
    return KubectlResult(
      status: status, stdout: process.stdout, stderr: process.stderr, elapsed: ContinuousClock.now - start)
  }

  /// Starts kubectl and leaves it running (for `-w` and `logs -f`).
  func startKubectl(_ arguments: [String]) throws -> BackgroundProcess {
    try BackgroundProcess(
      executable: try Kubectl.executable(), arguments: self.arguments(arguments), environment: environment,
      directory: directory)
  }

  /// Writes a file in the fixture's directory and returns its path.
  func file(_ name: String, _ contents: String) throws -> String {
    let path = directory + "/" + name
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The requests kubectl itself made (without the gcloud dispatcher's `/version` probe).
  var kubectlRequests: [RecordedRequest] { server.requests.filter { !$0.isDispatcherProbe } }
}

/// A child process whose output goes to files, so nothing blocks on full pipes.
final class BackgroundProcess: @unchecked Sendable {
  // @unchecked: `Process` is not Sendable; it is only touched through the methods below, and
  // `terminationHandler` only resumes the continuation guarded by `lock`.
  private let process = Process()
  private let outPath: String
  private let errPath: String
  private let lock = NSLock()
  private var exitStatus: Int32?
  private var waiters: [CheckedContinuation<Int32, Never>] = []

  init(
    executable: String, arguments: [String], environment: [String: String], directory: String, stdin: String? = nil
  ) throws {
    let id = UUID().uuidString
    outPath = directory + "/out-\(id)"
    errPath = directory + "/err-\(id)"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    if let stdin {
      let inPath = directory + "/in-\(id)"
      try stdin.write(toFile: inPath, atomically: true, encoding: .utf8)
      process.standardInput = FileHandle(forReadingAtPath: inPath)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    process.terminationHandler = { [weak self] process in self?.finished(process.terminationStatus) }
    try process.run()
  }

  private func finished(_ status: Int32) {
    let toResume = lock.withLock { () -> [CheckedContinuation<Int32, Never>] in
      exitStatus = status
      defer { waiters.removeAll() }
      return waiters
    }
    for waiter in toResume { waiter.resume(returning: status) }
  }

  var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
  var isRunning: Bool { lock.withLock { exitStatus == nil } }

  /// Sends SIGTERM.
  func terminate() { if isRunning { process.terminate() } }

  /// Waits for the exit status; after `timeout` the process is killed (status then reflects the signal).
  func wait(timeout: Duration) async -> Int32 {
    let killer = Task {
      try await Task.sleep(for: timeout)
      self.terminate()
    }
    defer { killer.cancel() }
    return await withCheckedContinuation { continuation in
      let done = lock.withLock { () -> Int32? in
        if let exitStatus { return exitStatus }
        waiters.append(continuation)
        return nil
      }
      if let done { continuation.resume(returning: done) }
    }
  }

  /// Polls stdout until `predicate` holds (true) or `timeout` passes (false).
  func waitForOutput(timeout: Duration = .seconds(20), _ predicate: (String) -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if predicate(stdout) { return true }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return predicate(stdout)
  }
}

/// Polls until `condition` holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if condition() { return true }
    try? await Task.sleep(for: .milliseconds(50))
  }
  return condition()
}

/// Parses kubectl's JSON output.
func json(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

/// Names of the items of a kubectl `-o json` list.
func itemNames(_ text: String) throws -> [String] {
  try json(text)["items"]?.array?.compactMap { $0[path: "metadata", "name"]?.string } ?? []
}

import Foundation
import Synchronization

/// One `kubectl proxy --unix-socket PATH`: kubectl keeps the credentials (exec plugins, OIDC,
/// client certificates) and mtobs speaks plain HTTP to the socket.
///
/// The child is started through the run's `ProcessRunning`, so it gets what every child gets: its
/// own process group, `-v`'s echo of the command, teardown of the group when it is stopped, and
/// (on Linux) death with mtobs however mtobs ends.
final class KubeProxy: Sendable {
  let directory: SocketDirectory
  let invocation: Invocation
  /// Ready, or why the proxy could not start.
  private let started = OneShot<Result<String, KubeError>>()
  /// Why the proxy ended, once it has (its last words on stderr).
  private let ending = OneShot<String>()
  private let process = Mutex<Task<Void, Never>?>(nil)

  private init(directory: SocketDirectory, invocation: Invocation) {
    self.directory = directory
    self.invocation = invocation
  }

  /// The line `kubectl proxy` prints once the socket accepts connections.
  static let readyPrefix = "Starting to serve on"

  /// Creates the private directory and starts kubectl; `ready(within:)` waits for the socket.
  static func start(
    kubectl: String, target: KubeTarget, runner: any ProcessRunning, environment: [String: String]
  ) throws(KubeError) -> KubeProxy {
    let directory = try SocketDirectory.create(environment: environment)
    let invocation = Invocation(kubectl, target.selectionArguments + ["proxy", "--unix-socket", directory.socketPath])
    let proxy = KubeProxy(directory: directory, invocation: invocation)
    proxy.launch(runner: runner, target: target)
    return proxy
  }

  private func launch(runner: any ProcessRunning, target: KubeTarget) {
    let started = started
    let invocation = invocation
    let socket = directory.socketPath
    let errors = LastLines()
    let task = Task {
      var why: String
      do {
        let result = try await runner.stream(invocation, timeout: nil) { line in
          switch line.stream {
          case .standardOutput where line.text.hasPrefix(Self.readyPrefix): started.resolve(.success(socket))
          case .standardError: errors.append(line.text)
          default: break
          }
        }
        let said = errors.lines
        why = Self.lastWords(said) ?? "it exited with status \(result.exitCode)"
        started.resolve(.failure(Self.startFailure(standardError: said, exitCode: result.exitCode, target: target)))
      } catch ProcessError.notFound {
        why = "kubectl was not found"
        started.resolve(.failure(KubeError.kubectlMissing(invocation.executable)))
      } catch {
        why = Task.isCancelled ? "it was stopped" : "\(error)"
        started.resolve(
          .failure(KubeError(.failed, "kubectl proxy could not run: \(why)", hint: "rerun with -v to see the command")))
      }
      self.ending.resolve(why)
    }
    process.withLock { $0 = task }
  }

  /// kubectl's own last line, without klog's prefix (`E0101 … proxy_server.go:147] …`).
  static func lastWords(_ lines: [String]) -> String? {
    lines.reversed().lazy.map { line -> String in
      guard let prefix = KubectlLog.klogPrefix(line) else { return line }
      return line[prefix...].trimmingCharacters(in: .whitespaces)
    }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
  }

  /// Why kubectl proxy exited before serving, in the words of every other kubectl failure, with
  /// kubectl's own message kept.
  static func startFailure(standardError: [String], exitCode: Int32, target: KubeTarget) -> KubeError {
    let text = standardError.joined(separator: "\n")
    let classified = KubeError.classify(standardError: text, target: target, what: "starting kubectl proxy")
    guard let words = lastWords(standardError) else {
      return KubeError(
        classified.reason, "kubectl proxy exited (status \(exitCode)) before it served", hint: classified.hint)
    }
    if classified.message.contains(words) { return classified }
    return KubeError(classified.reason, "\(classified.message) (kubectl proxy: \(words))", hint: classified.hint)
  }

  /// Waits until the socket accepts connections; throws kubectl's reason when it exited first,
  /// or a timeout after `limit`.
  func ready(within limit: Duration) async throws -> String {
    let started = started
    let outcome = try await withThrowingTaskGroup(of: Result<String, KubeError>?.self) { group in
      group.addTask { try await started.value() }
      group.addTask {
        try await Task.sleep(for: limit)
        return nil
      }
      defer { group.cancelAll() }
      return try await group.next() ?? nil
    }
    guard let outcome else {
      throw KubeError(
        .timeout, "kubectl proxy did not start serving within \(DurationText.format(limit))",
        hint: "try `\(invocation.display)` by hand; \(KubeError.raiseTimeout)")
    }
    return try outcome.get()
  }

  /// Why the proxy ended, when it has; nil while it still runs after `wait` (a request that
  /// failed because kubectl died may notice before kubectl's exit is seen).
  func endedReason(waitingUpTo wait: Duration) async -> String? {
    if let why = ending.current { return why }
    let ending = ending
    return await withTaskGroup(of: String?.self) { group in
      group.addTask { try? await ending.value() }
      group.addTask {
        try? await Task.sleep(for: wait)
        return nil
      }
      defer { group.cancelAll() }
      return await group.next() ?? nil
    }
  }

  /// Stops kubectl (its whole process group) and removes the socket and its directory.
  func stop() async {
    let task = process.withLock { $0 }
    task?.cancel()
    await task?.value
    started.resolve(.failure(KubeError(.failed, "kubectl proxy was stopped", hint: "")))
    directory.remove()
    SocketLeftovers.remove(in: (directory.path as NSString).deletingLastPathComponent, keeping: directory.path)
  }
}

/// The last lines kubectl wrote on stderr, for the error that names why it stopped.
private final class LastLines: Sendable {
  private let storage = Mutex<[String]>([])

  func append(_ line: String) { storage.withLock { $0 = Array(($0 + [line]).suffix(20)) } }

  var lines: [String] { storage.withLock { $0 } }
}

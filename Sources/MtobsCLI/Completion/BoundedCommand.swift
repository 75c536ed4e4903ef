import Foundation

/// Runs a helper command for TAB and keeps its standard output only if it ends in time: a slow
/// or unreachable cluster, or a hanging plugin, costs the user a short wait, never a stuck shell.
enum BoundedCommand {
  /// The most output kept (a completion list, not a log).
  static let outputLimit = 256 * 1024

  static func output(
    of executable: String, _ arguments: [String], environment: [String: String]? = nil, timeLimit: Duration
  ) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    do { try process.run() } catch { return nil }
    let collected = Collected()
    let reader = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      // Reads until end of file: the child's exit (or kill) closes the pipe.
      while collected.count < outputLimit, let chunk = try? output.fileHandleForReading.read(upToCount: 65536),
        !chunk.isEmpty
      {
        collected.append(chunk)
      }
      reader.signal()
    }
    let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) / 1e18
    guard finished.wait(timeout: .now() + seconds) == .success else {
      kill(process.processIdentifier, SIGKILL)
      return nil
    }
    // The child is gone; a grandchild holding the pipe open must not hold TAB either.
    guard reader.wait(timeout: .now() + 0.2) == .success, process.terminationStatus == 0 else { return nil }
    return String(decoding: collected.data, as: UTF8.self)
  }

  /// Output gathered on the reading thread.
  private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    var count: Int { lock.withLock { bytes.count } }
    var data: Data { lock.withLock { bytes } }
    func append(_ chunk: Data) { lock.withLock { bytes.append(chunk) } }
  }
}

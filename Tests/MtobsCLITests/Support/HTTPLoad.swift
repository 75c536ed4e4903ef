import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Concurrent GETs through a relay (Tests/StandInTools/http-load) until stopped; every answer is
/// checked whole, and each failure is counted by kind.
final class HTTPLoad {
  struct Result: Decodable {
    let requests: Int
    let failures: Int
    let byKind: [String: Int]
  }

  let folder: URL
  let process = Process()
  let output: URL

  init(port: Int, path: String, clients: Int, in scratch: URL) throws {
    folder = scratch.appendingPathComponent("load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    output = folder.appendingPathComponent("result")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    process.executableURL = ForwardFixture.tools.appendingPathComponent("http-load")
    process.arguments = [String(port), path, String(clients), folder.path]
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  /// Whole answers so far.
  var successes: Int {
    let text = (try? String(contentsOf: folder.appendingPathComponent("progress"), encoding: .utf8)) ?? ""
    return Int(text) ?? 0
  }

  /// Lets every client finish its request in flight, then reads the counts.
  func stop() async throws -> Result? {
    _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("stop").path, contents: nil)
    let ended = try await ProcessTable.wait(upTo: .seconds(60)) { !process.isRunning }
    if !ended {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return nil
    }
    return try? JSONDecoder().decode(Result.self, from: Data(contentsOf: output))
  }
}

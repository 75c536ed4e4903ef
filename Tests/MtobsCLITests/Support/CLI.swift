import Foundation
import Testing

/// Runs the built `mtobs` binary the way a user would, and captures what it printed.
struct CLI {
  struct Result: CustomStringConvertible {
    let status: Int32
    let standardOutput: String
    let standardError: String
    let duration: Duration

    var description: String { "exit \(status)\n--- stdout\n\(standardOutput)--- stderr\n\(standardError)" }
  }

  /// The folder that holds the test bundle also holds the package's executables.
  static let binDirectory: URL = {
    if let override = ProcessInfo.processInfo.environment["MTOBS_TEST_BIN_DIR"] {
      return URL(fileURLWithPath: override)
    }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    // `swift test` may run a binary inside `<name>.xctest/…`; climb out of the bundle.
    while directory.path != "/", !FileManager.default.fileExists(atPath: directory.appendingPathComponent("mtobs").path)
    {
      directory.deleteLastPathComponent()
    }
    return directory
  }()

  static var mtobsPath: String { binDirectory.appendingPathComponent("mtobs").path }

  /// The package root, for the committed files tests compare against.
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  var environment: [String: String]
  var workingDirectory: URL

  /// A clean environment: a private HOME and XDG folders, no colour, no MTOBS_* from the developer's shell.
  init(home: URL) {
    let inherited = ProcessInfo.processInfo.environment
    environment = [
      "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
      "HOME": home.path,
      "XDG_CONFIG_HOME": home.appendingPathComponent(".config").path,
      "XDG_DATA_HOME": home.appendingPathComponent(".local/share").path,
      "KUBECONFIG": home.appendingPathComponent(".kube/config").path,
      "LANG": "C.UTF-8",
    ]
    workingDirectory = home
  }

  func run(
    _ arguments: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(60)
  ) throws -> Result {
    try Self.run(
      executable: Self.mtobsPath, arguments, environment: environment.merging(extra) { $1 }, in: workingDirectory,
      timeout: timeout)
  }

  /// Runs any program with the given environment; kills it if it outlives `timeout`.
  static func run(
    executable: String, _ arguments: [String], environment: [String: String], in directory: URL,
    input: String? = nil, timeout: Duration = .seconds(60)
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    process.currentDirectoryURL = directory
    let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-out-\(UUID().uuidString)")
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outputFile)
      try? FileManager.default.removeItem(at: errorFile)
    }
    // Files rather than pipes: nothing can block on a full pipe while we wait.
    process.standardOutput = try FileHandle(forWritingTo: outputFile)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    if let input {
      let pipe = Pipe()
      process.standardInput = pipe
      try process.run()
      pipe.fileHandleForWriting.write(Data(input.utf8))
      try pipe.fileHandleForWriting.close()
    } else {
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }
    let started = ContinuousClock.now
    while process.isRunning {
      if ContinuousClock.now - started > timeout {
        process.terminate()
        process.waitUntilExit()
        Issue.record("\(executable) \(arguments) did not finish within \(timeout)")
        break
      }
      Thread.sleep(forTimeInterval: 0.01)
    }
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      standardOutput: try String(contentsOf: outputFile, encoding: .utf8),
      standardError: try String(contentsOf: errorFile, encoding: .utf8),
      duration: ContinuousClock.now - started)
  }
}

/// A condition that prints why a test is skipped.
func requires(_ tool: String) -> ConditionTrait {
  .enabled("\(tool) is not installed on this machine; install it to run this test") { which(tool) != nil }
}

/// Runs `git` with a clean configuration for fixture repositories.
func git(_ arguments: [String], in directory: URL) throws {
  let result = try CLI.run(
    executable: which("git") ?? "/usr/bin/git",
    ["-c", "user.name=mtobs tests", "-c", "user.email=tests@mtobs.invalid", "-c", "init.defaultBranch=main"]
      + arguments,
    environment: [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1",
      "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": directory.path,
    ],
    in: directory)
  if result.status != 0 { throw GitFixtureError(message: result.description) }
}

struct GitFixtureError: Error { let message: String }

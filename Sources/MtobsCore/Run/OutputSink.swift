import Foundation
import Synchronization

/// The two output streams of a process.
public enum OutputStreamKind: Sendable, Equatable {
  case standardOutput, standardError
}

/// Where a run's output goes. Only renderers and commands write; core types emit events. Tests
/// run commands in-process with a `CapturedOutput` instead of the real streams.
public protocol OutputSink: Sendable {
  func write(_ bytes: [UInt8], to stream: OutputStreamKind)
}

extension OutputSink {
  public func write(_ text: String, to stream: OutputStreamKind) { write(Array(text.utf8), to: stream) }
}

/// The process's stdout and stderr.
public struct StandardStreams: OutputSink {
  public init() {}

  public func write(_ bytes: [UInt8], to stream: OutputStreamKind) {
    switch stream {
    case .standardOutput: FileHandle.standardOutput.write(Data(bytes))
    case .standardError: FileHandle.standardError.write(Data(bytes))
    }
  }
}

/// Keeps everything written, per stream, for tests and for commands that must hold output back.
public final class CapturedOutput: OutputSink {
  private let streams = Mutex<(output: [UInt8], error: [UInt8])>(([], []))

  public init() {}

  public func write(_ bytes: [UInt8], to stream: OutputStreamKind) {
    streams.withLock {
      switch stream {
      case .standardOutput: $0.output += bytes
      case .standardError: $0.error += bytes
      }
    }
  }

  public var standardOutput: String { String(decoding: streams.withLock { $0.output }, as: UTF8.self) }
  public var standardError: String { String(decoding: streams.withLock { $0.error }, as: UTF8.self) }
}

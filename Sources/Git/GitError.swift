import CLibGit2

/// A libgit2 failure, with libgit2's own message.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
  public let code: Int32
  public let message: String

  public init(code: Int32, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "git: \(message) (\(code))" }

  /// Reads libgit2's last error. It is thread-local: call this right after the failing call,
  /// with no `await` in between.
  static func last(_ code: Int32) -> GitError {
    let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "libgit2 error"
    return GitError(code: code, message: message)
  }
}

/// A libgit2 failure, with libgit2's own message.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
  public let code: Int32
  public let message: String

  public init(code: Int32, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "git: \(message) (\(code))" }

  /// The code of "libgit2 itself could not be loaded" (libgit2's own codes are small negatives).
  public static let libraryUnavailable: Int32 = -1000

  /// What to do when libgit2 could not be loaded.
  public static var installHint: String {
    "install libgit2 \(LibGit2.soVersion) (Debian/Ubuntu: apt install libgit2-\(LibGit2.soVersion); macOS: brew "
      + "install libgit2), or name its file in \(LibGit2.pathVariable)"
  }
}

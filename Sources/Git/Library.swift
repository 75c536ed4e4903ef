import CLibGit2

/// libgit2 must be initialised once per process before any other call.
enum Library {
  /// A lazily initialised global is thread-safe in Swift, so this runs exactly once.
  private static let initialized: Bool = {
    git_libgit2_init()
    mtobs_git_disable_owner_validation()
    return true
  }()

  static func ensureInitialized() {
    _ = initialized
  }
}

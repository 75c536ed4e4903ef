import CLibGit2

/// libgit2 must be initialised once per process before any other call.
///
/// libgit2's owner check stays on (its default): mtobs clones and upgrades plugins, and must not
/// open a repository someone else controls as if it were the user's. Only the build-time
/// metadata reader, which reads and never checks out or runs anything, turns it off.
enum Library {
  /// A lazily initialised global is thread-safe in Swift, so this runs exactly once.
  private static let initialized: Bool = {
    git_libgit2_init()
    return true
  }()

  static func ensureInitialized() {
    _ = initialized
  }
}

public enum GitLibraryOptions {
  /// Lets `GitRepository.discover` read a repository owned by another user (a source checkout
  /// mounted into a build container). Process-wide: call it only in a process that never clones.
  public static func allowRepositoriesOwnedByOthers() {
    Library.ensureInitialized()
    mtobs_git_disable_owner_validation()
  }
}

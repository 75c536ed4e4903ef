import CLibGit2
import Synchronization

/// libgit2 must be initialised once per process before any other call.
///
/// libgit2's owner check (a repository owned by another user is refused) stays on, its default:
/// mtobs clones and upgrades plugins and must not treat a repository someone else controls as
/// the user's. Only read-only metadata reads (`GitRepository.discover`: commit, branch, dirty
/// flag of a checkout mounted into a container) turn it off, for the duration of the open, under
/// a lock that clones and plugin upgrades also take, so they never run with it off.
enum Library {
  /// A lazily initialised global is thread-safe in Swift, so this runs exactly once.
  private static let initialized: Bool = {
    git_libgit2_init()
    return true
  }()

  private static let ownerCheck = Mutex(())

  static func ensureInitialized() {
    _ = initialized
  }

  /// Runs `body` with the owner check on (every open that may lead to a checkout).
  static func withOwnerCheck<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
    ensureInitialized()
    return try ownerCheck.withLock { _ throws(GitError) -> T in try body() }
  }

  /// Runs `body` with the owner check off, for reads that never check out or run anything.
  static func withoutOwnerCheck<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
    ensureInitialized()
    return try ownerCheck.withLock { _ throws(GitError) -> T in
      mtobs_git_set_owner_validation(0)
      defer { mtobs_git_set_owner_validation(1) }
      return try body()
    }
  }
}

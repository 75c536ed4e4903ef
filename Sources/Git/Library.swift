import Synchronization

/// The gate every libgit2 call goes through: libgit2 loaded and initialised once per process
/// (`LibGit2.shared`), and its process-wide owner check set for the call.
///
/// libgit2's owner check (a repository owned by another user is refused) stays on, its default:
/// mtobs clones and upgrades plugins and must not treat a repository someone else controls as
/// the user's. Only read-only metadata reads (`GitRepository.discover`: commit, branch, dirty
/// flag of a checkout mounted into a container) turn it off, for the duration of the open, under
/// a lock that clones and plugin upgrades also take, so they never run with it off.
enum Library {
  private static let ownerCheck = Mutex(())

  static func loaded() throws(GitError) -> LibGit2 {
    try LibGit2.shared.get()
  }

  /// Runs `body` with the owner check on (every open that may lead to a checkout).
  static func withOwnerCheck<T>(_ body: (LibGit2) throws(GitError) -> T) throws(GitError) -> T {
    let git = try loaded()
    return try ownerCheck.withLock { _ throws(GitError) -> T in try body(git) }
  }

  /// Runs `body` with the owner check off, for reads that never check out or run anything.
  static func withoutOwnerCheck<T>(_ body: (LibGit2) throws(GitError) -> T) throws(GitError) -> T {
    let git = try loaded()
    return try ownerCheck.withLock { _ throws(GitError) -> T in
      git.setOwnerValidation(false)
      defer { git.setOwnerValidation(true) }
      return try body(git)
    }
  }
}

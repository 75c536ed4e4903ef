import CLibGit2

/// Cloning and history questions for `mtobs plugin install|upgrade`, through libgit2 (no `git`
/// binary needed). Only repositories mtobs itself creates are opened here.
public enum GitClone {
  /// Clones `source` (an https:// or file:// URL, or a local path) into `directory` and checks
  /// out `ref` (a branch, tag or commit; nil: the remote's default branch) detached. Returns the
  /// commit checked out.
  public static func clone(source: String, into directory: String, ref: String?) throws(GitError) -> String {
    try Library.withOwnerCheck { git throws(GitError) -> String in
      var options = git_clone_options()
      _ = git.cloneOptionsInit(&options, UInt32(GIT_CLONE_OPTIONS_VERSION))
      var repository: OpaquePointer?
      let code = git.clone(&repository, source, directory, &options)
      guard code == 0, let repository else { throw git.lastError(code) }
      defer { git.repositoryFree(repository) }
      var commit = try resolve(ref, in: repository, git)
      try checkOutDetached(&commit, in: repository, git)
      return hex(&commit, git)
    }
  }

  /// The commit `ref` names in the clone at `directory` (nil: HEAD).
  public static func commit(named ref: String?, inClone directory: String) throws(GitError) -> String {
    let (repository, git) = try open(directory)
    defer { git.repositoryFree(repository) }
    var oid = try resolve(ref, in: repository, git)
    return hex(&oid, git)
  }

  /// Whether `descendant` has `ancestor` in its history (or is it), in the clone at `directory`.
  /// A commit the clone does not have (history rewritten upstream) is not an ancestor.
  public static func isAncestor(
    _ ancestor: String, of descendant: String, inClone directory: String
  ) throws(GitError)
    -> Bool
  {
    guard ancestor != descendant else { return true }
    let (repository, git) = try open(directory)
    defer { git.repositoryFree(repository) }
    var ancestorID = git_oid()
    var descendantID = git_oid()
    guard git.oidFromString(&ancestorID, ancestor) == 0, git.oidFromString(&descendantID, descendant) == 0 else {
      return false
    }
    return git.graphDescendantOf(repository, &descendantID, &ancestorID) == 1
  }

  private static func open(_ directory: String) throws(GitError) -> (OpaquePointer, LibGit2) {
    try Library.withOwnerCheck { git throws(GitError) -> (OpaquePointer, LibGit2) in
      var repository: OpaquePointer?
      let code = git.repositoryOpen(&repository, directory)
      guard code == 0, let repository else { throw git.lastError(code) }
      return (repository, git)
    }
  }

  /// A branch of the remote first (so `--ref main` means origin's main), then a tag, then anything
  /// `git rev-parse` understands (a commit id).
  private static func resolve(
    _ ref: String?, in repository: OpaquePointer, _ git: LibGit2
  ) throws(GitError)
    -> git_oid
  {
    let candidates = ref.map { ["refs/remotes/origin/\($0)", "refs/tags/\($0)", $0] } ?? ["HEAD"]
    var lastCode: Int32 = GIT_ENOTFOUND.rawValue
    for candidate in candidates {
      var object: OpaquePointer?
      lastCode = git.revparseSingle(&object, repository, candidate)
      guard lastCode == 0, let object else { continue }
      defer { git.objectFree(object) }
      var commit: OpaquePointer?
      lastCode = git.objectPeel(&commit, object, GIT_OBJECT_COMMIT)
      guard lastCode == 0, let commit, let id = git.objectID(commit) else { continue }
      defer { git.objectFree(commit) }
      return id.pointee
    }
    if let ref {
      throw GitError(code: lastCode, message: "no branch, tag or commit '\(ref)' in the repository")
    }
    throw git.lastError(lastCode)
  }

  private static func checkOutDetached(
    _ commit: inout git_oid, in repository: OpaquePointer, _ git: LibGit2
  )
    throws(GitError)
  {
    var object: OpaquePointer?
    var code = git.objectLookup(&object, repository, &commit, GIT_OBJECT_COMMIT)
    guard code == 0, let object else { throw git.lastError(code) }
    defer { git.objectFree(object) }
    var options = git_checkout_options()
    _ = git.checkoutOptionsInit(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
    options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
    code = git.checkoutTree(repository, object, &options)
    guard code == 0 else { throw git.lastError(code) }
    code = git.repositorySetHeadDetached(repository, &commit)
    guard code == 0 else { throw git.lastError(code) }
  }

  private static func hex(_ oid: inout git_oid, _ git: LibGit2) -> String {
    git.oidToString(&oid).map { String(cString: $0) } ?? ""
  }
}

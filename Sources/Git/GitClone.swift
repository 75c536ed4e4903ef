import CLibGit2

/// Cloning and history questions for `mtobs plugin install|upgrade`, through libgit2 (no `git`
/// binary needed). Only repositories mtobs itself creates are opened here.
public enum GitClone {
  /// Clones `source` (an https:// or file:// URL, or a local path) into `directory` and checks
  /// out `ref` (a branch, tag or commit; nil: the remote's default branch) detached. Returns the
  /// commit checked out.
  public static func clone(source: String, into directory: String, ref: String?) throws(GitError) -> String {
    try Library.withOwnerCheck { () throws(GitError) -> String in
      var options = git_clone_options()
      git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION))
      var repository: OpaquePointer?
      let code = git_clone(&repository, source, directory, &options)
      guard code == 0, let repository else { throw GitError.last(code) }
      defer { git_repository_free(repository) }
      var commit = try resolve(ref, in: repository)
      try checkOutDetached(&commit, in: repository)
      return hex(&commit)
    }
  }

  /// The commit `ref` names in the clone at `directory` (nil: HEAD).
  public static func commit(named ref: String?, inClone directory: String) throws(GitError) -> String {
    let repository = try open(directory)
    defer { git_repository_free(repository) }
    var oid = try resolve(ref, in: repository)
    return hex(&oid)
  }

  /// Whether `descendant` has `ancestor` in its history (or is it), in the clone at `directory`.
  /// A commit the clone does not have (history rewritten upstream) is not an ancestor.
  public static func isAncestor(
    _ ancestor: String, of descendant: String, inClone directory: String
  ) throws(GitError)
    -> Bool
  {
    guard ancestor != descendant else { return true }
    let repository = try open(directory)
    defer { git_repository_free(repository) }
    var ancestorID = git_oid()
    var descendantID = git_oid()
    guard git_oid_fromstr(&ancestorID, ancestor) == 0, git_oid_fromstr(&descendantID, descendant) == 0 else {
      return false
    }
    return git_graph_descendant_of(repository, &descendantID, &ancestorID) == 1
  }

  private static func open(_ directory: String) throws(GitError) -> OpaquePointer {
    try Library.withOwnerCheck { () throws(GitError) -> OpaquePointer in
      var repository: OpaquePointer?
      let code = git_repository_open(&repository, directory)
      guard code == 0, let repository else { throw GitError.last(code) }
      return repository
    }
  }

  /// A branch of the remote first (so `--ref main` means origin's main), then a tag, then anything
  /// `git rev-parse` understands (a commit id).
  private static func resolve(_ ref: String?, in repository: OpaquePointer) throws(GitError) -> git_oid {
    let candidates = ref.map { ["refs/remotes/origin/\($0)", "refs/tags/\($0)", $0] } ?? ["HEAD"]
    var lastCode: Int32 = GIT_ENOTFOUND.rawValue
    for candidate in candidates {
      var object: OpaquePointer?
      lastCode = git_revparse_single(&object, repository, candidate)
      guard lastCode == 0, let object else { continue }
      defer { git_object_free(object) }
      var commit: OpaquePointer?
      lastCode = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
      guard lastCode == 0, let commit else { continue }
      defer { git_object_free(commit) }
      return git_object_id(commit).pointee
    }
    if let ref {
      throw GitError(code: lastCode, message: "no branch, tag or commit '\(ref)' in the repository")
    }
    throw GitError.last(lastCode)
  }

  private static func checkOutDetached(_ commit: inout git_oid, in repository: OpaquePointer) throws(GitError) {
    var object: OpaquePointer?
    var code = git_object_lookup(&object, repository, &commit, GIT_OBJECT_COMMIT)
    guard code == 0, let object else { throw GitError.last(code) }
    defer { git_object_free(object) }
    var options = git_checkout_options()
    git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
    options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
    code = git_checkout_tree(repository, object, &options)
    guard code == 0 else { throw GitError.last(code) }
    code = git_repository_set_head_detached(repository, &commit)
    guard code == 0 else { throw GitError.last(code) }
  }

  private static func hex(_ oid: inout git_oid) -> String {
    String(cString: git_oid_tostr_s(&oid))
  }
}

import CLibGit2

/// What mtobs needs to know about the repository holding a path.
public struct RepositoryInfo: Sendable, Equatable {
  /// Absolute work-tree root, without a trailing slash (a linked worktree's own root).
  public var root: String
  public var gitDirectory: String
  /// Full commit id of HEAD; nil on an unborn branch (no commits yet).
  public var headCommit: String?
  /// Short branch name; nil when HEAD is detached.
  public var branch: String?
  /// Modified, staged, deleted or untracked (not ignored) files.
  public var isDirty: Bool
  /// A linked worktree (`git worktree add`).
  public var isWorktree: Bool
}

public enum GitRepository {
  /// The repository that holds `path` (from any subdirectory), or nil when there is none.
  public static func discover(from path: String) throws(GitError) -> RepositoryInfo? {
    guard let repository = try open(containing: path) else { return nil }
    defer { git_repository_free(repository) }
    guard let root = workdir(repository) else { return nil }  // a bare repository has no work tree
    return RepositoryInfo(
      root: root,
      gitDirectory: trimmed(String(cString: git_repository_path(repository))),
      headCommit: try headCommit(repository),
      branch: try branch(repository),
      isDirty: try isDirty(repository),
      isWorktree: git_repository_is_worktree(repository) == 1)
  }

  /// Only the work-tree root: no status walk, cheap enough for every start-up.
  public static func root(containing path: String) throws(GitError) -> String? {
    guard let repository = try open(containing: path) else { return nil }
    defer { git_repository_free(repository) }
    return workdir(repository)
  }

  private static func open(containing path: String) throws(GitError) -> OpaquePointer? {
    Library.ensureInitialized()
    var repository: OpaquePointer?
    let code = git_repository_open_ext(&repository, path, 0, nil)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    guard code == 0 else { throw GitError.last(code) }
    return repository
  }

  private static func workdir(_ repository: OpaquePointer) -> String? {
    git_repository_workdir(repository).map { trimmed(String(cString: $0)) }
  }

  private static func headCommit(_ repository: OpaquePointer) throws(GitError) -> String? {
    var oid = git_oid()
    let code = git_reference_name_to_id(&oid, repository, "HEAD")
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
    guard code == 0 else { throw GitError.last(code) }
    // git_oid_tostr_s formats into a thread-local buffer: copy it out at once.
    return String(cString: git_oid_tostr_s(&oid))
  }

  private static func branch(_ repository: OpaquePointer) throws(GitError) -> String? {
    // HEAD's symbolic target names the branch even before its first commit; a detached HEAD is not symbolic.
    var head: OpaquePointer?
    let code = git_reference_lookup(&head, repository, "HEAD")
    guard code == 0, let head else { throw GitError.last(code) }
    defer { git_reference_free(head) }
    guard let target = git_reference_symbolic_target(head) else { return nil }
    let name = String(cString: target)
    return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
  }

  private static func isDirty(_ repository: OpaquePointer) throws(GitError) -> Bool {
    var options = git_status_options()
    git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
    options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    options.flags =
      GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
      | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
    var list: OpaquePointer?
    let code = git_status_list_new(&list, repository, &options)
    guard code == 0, let list else { throw GitError.last(code) }
    defer { git_status_list_free(list) }
    return git_status_list_entrycount(list) > 0
  }

  private static func trimmed(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }
}

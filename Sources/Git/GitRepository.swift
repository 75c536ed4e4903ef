import CLibGit2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    let git = try Library.loaded()
    guard let repository = try open(containing: path) else { return nil }
    defer { git.repositoryFree(repository) }
    guard let root = git.repositoryWorkdir(repository).map({ trimmed(String(cString: $0)) }) else {
      return nil  // a bare repository has no work tree
    }
    return RepositoryInfo(
      root: root,
      gitDirectory: trimmed(git.repositoryPath(repository).map { String(cString: $0) } ?? ""),
      headCommit: try headCommit(repository, git),
      branch: try branch(repository, git),
      isDirty: try isDirty(repository, git),
      isWorktree: git.repositoryIsWorktree(repository) == 1)
  }

  /// Only the work-tree root, found the way git discovers a repository: the nearest directory, from
  /// `path` up, that holds a `.git` directory (with a HEAD) or a `.git` file (`gitdir: …`, as in
  /// linked worktrees and submodules); nil when none does or the nearest one is bare.
  ///
  /// Written by hand rather than asked of libgit2 because every command needs it at start-up, and
  /// loading libgit2 (and the system's TLS trust store, about 15 ms, docs/benchmarks.md) is for a
  /// clone or fetch only.
  public static func root(containing path: String) -> String? {
    var directory = absolute(path)
    while true {
      let dotGit = directory == "/" ? "/.git" : directory + "/.git"
      var status = stat()
      if stat(dotGit, &status) == 0 {
        if status.st_mode & S_IFMT == S_IFDIR, access(dotGit + "/HEAD", F_OK) == 0 { return directory }
        if status.st_mode & S_IFMT == S_IFREG, startsWithGitdir(dotGit) { return directory }
      }
      // A bare repository (HEAD, objects and refs in the directory itself) has no work tree.
      if ["HEAD", "objects", "refs"].allSatisfy({ access(directory + "/" + $0, F_OK) == 0 }) { return nil }
      guard directory != "/" else { return nil }
      directory = parent(of: directory)
    }
  }

  private static func absolute(_ path: String) -> String {
    var full = path
    if !path.hasPrefix("/") {
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let cwd = getcwd(&buffer, buffer.count).map { _ in String(cString: buffer) } ?? "/"
      full = cwd + "/" + path
    }
    // Resolve `.` and `..` by name, as git does for the starting directory.
    var parts: [Substring] = []
    for part in full.split(separator: "/") {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  private static func parent(of directory: String) -> String {
    guard let slash = directory.lastIndex(of: "/"), slash != directory.startIndex else { return "/" }
    return String(directory[..<slash])
  }

  private static func startsWithGitdir(_ file: String) -> Bool {
    guard let handle = fopen(file, "r") else { return false }
    defer { fclose(handle) }
    var buffer = [CChar](repeating: 0, count: 8)
    guard fgets(&buffer, Int32(buffer.count), handle) != nil else { return false }
    return String(cString: buffer) == "gitdir:"
  }

  /// Metadata only: a checkout owned by another user (a container mount) is read too.
  private static func open(containing path: String) throws(GitError) -> OpaquePointer? {
    try Library.withoutOwnerCheck { git throws(GitError) -> OpaquePointer? in
      var repository: OpaquePointer?
      let code = git.repositoryOpenExt(&repository, path, 0, nil)
      if code == GIT_ENOTFOUND.rawValue { return nil }
      guard code == 0 else { throw git.lastError(code) }
      return repository
    }
  }

  private static func headCommit(_ repository: OpaquePointer, _ git: LibGit2) throws(GitError) -> String? {
    var oid = git_oid()
    let code = git.referenceNameToID(&oid, repository, "HEAD")
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
    guard code == 0 else { throw git.lastError(code) }
    // git_oid_tostr_s formats into a thread-local buffer: copy it out at once.
    return git.oidToString(&oid).map { String(cString: $0) }
  }

  private static func branch(_ repository: OpaquePointer, _ git: LibGit2) throws(GitError) -> String? {
    // HEAD's symbolic target names the branch even before its first commit; a detached HEAD is not symbolic.
    var head: OpaquePointer?
    let code = git.referenceLookup(&head, repository, "HEAD")
    guard code == 0, let head else { throw git.lastError(code) }
    defer { git.referenceFree(head) }
    guard let target = git.referenceSymbolicTarget(head) else { return nil }
    let name = String(cString: target)
    return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
  }

  private static func isDirty(_ repository: OpaquePointer, _ git: LibGit2) throws(GitError) -> Bool {
    var options = git_status_options()
    _ = git.statusOptionsInit(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
    options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    options.flags =
      GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
      | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
    var list: OpaquePointer?
    let code = git.statusListNew(&list, repository, &options)
    guard code == 0, let list else { throw git.lastError(code) }
    defer { git.statusListFree(list) }
    return git.statusListEntryCount(list) > 0
  }

  private static func trimmed(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }
}

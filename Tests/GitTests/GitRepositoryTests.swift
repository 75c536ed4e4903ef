import Foundation
import Testing

@testable import Git

/// The wrapper against real repositories made with the real git.
@Suite("libgit2 wrapper")
final class GitRepositoryTests {
  let scratch: URL

  init() throws {
    // Resolved, because libgit2 reports real paths (/tmp may be a link elsewhere).
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-git-\(UUID().uuidString)")
      .resolvingSymlinksInPath()
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(at: scratch)
  }

  private func run(_ executable: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw GitFixtureError(arguments: [executable] + arguments) }
  }

  @discardableResult
  private func git(_ arguments: [String], in directory: URL? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "init.defaultBranch=main"] + arguments
    process.currentDirectoryURL = directory ?? scratch
    process.environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1",
      "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": scratch.path,
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw GitFixtureError(arguments: arguments) }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private func write(_ text: String, _ path: String, in directory: URL? = nil) throws {
    let file = (directory ?? scratch).appendingPathComponent(path)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: file, atomically: true, encoding: .utf8)
  }

  /// A repository with one commit, a nested folder and an ignore rule.
  private func committedRepository() throws -> URL {
    try git(["init", "-q", "repo"])
    let repo = scratch.appendingPathComponent("repo")
    try write("a\n", "a.txt", in: repo)
    try write("*.log\n", ".gitignore", in: repo)
    try write("x\n", "deep/er/x.txt", in: repo)
    try git(["add", "."], in: repo)
    try git(["commit", "-qm", "first"], in: repo)
    return repo
  }

  @Test func cleanRepository() throws {
    let repo = try committedRepository()
    let info = try #require(try GitRepository.discover(from: repo.path))
    #expect(info.root == repo.path)
    #expect(info.headCommit == (try git(["rev-parse", "HEAD"], in: repo)))
    #expect(info.branch == "main")
    #expect(!info.isDirty)
    #expect(!info.isWorktree)
    #expect(info.gitDirectory == repo.appendingPathComponent(".git").path)
  }

  @Test func discoveryFromASubdirectory() throws {
    let repo = try committedRepository()
    let nested = repo.appendingPathComponent("deep/er").path
    #expect(try GitRepository.discover(from: nested)?.root == repo.path)
    #expect(GitRepository.root(containing: nested) == repo.path)
    #expect(GitRepository.root(containing: nested) == (try git(["rev-parse", "--show-toplevel"], in: repo)))
  }

  @Test func modifiedFileIsDirty() throws {
    let repo = try committedRepository()
    try write("changed\n", "a.txt", in: repo)
    #expect(try GitRepository.discover(from: repo.path)?.isDirty == true)
  }

  @Test func untrackedFileIsDirty() throws {
    let repo = try committedRepository()
    try write("new\n", "deep/new.txt", in: repo)
    #expect(try GitRepository.discover(from: repo.path)?.isDirty == true)
  }

  @Test func stagedOnlyChangeIsDirty() throws {
    let repo = try committedRepository()
    try write("staged\n", "b.txt", in: repo)
    try git(["add", "b.txt"], in: repo)
    #expect(try GitRepository.discover(from: repo.path)?.isDirty == true)
  }

  @Test func deletedFileIsDirty() throws {
    let repo = try committedRepository()
    try FileManager.default.removeItem(at: repo.appendingPathComponent("deep/er/x.txt"))
    #expect(try GitRepository.discover(from: repo.path)?.isDirty == true)
  }

  @Test func ignoredFileIsNotDirty() throws {
    let repo = try committedRepository()
    try write("noise\n", "build.log", in: repo)
    #expect(try GitRepository.discover(from: repo.path)?.isDirty == false)
  }

  @Test func detachedHeadHasNoBranch() throws {
    let repo = try committedRepository()
    try git(["checkout", "-q", "--detach"], in: repo)
    let info = try #require(try GitRepository.discover(from: repo.path))
    #expect(info.branch == nil)
    #expect(info.headCommit == (try git(["rev-parse", "HEAD"], in: repo)))
  }

  @Test func unbornRepositoryHasABranchButNoCommit() throws {
    try git(["init", "-q", "-b", "trunk", "empty"])
    let info = try #require(try GitRepository.discover(from: scratch.appendingPathComponent("empty").path))
    #expect(info.headCommit == nil)
    #expect(info.branch == "trunk")
  }

  @Test func linkedWorktree() throws {
    let repo = try committedRepository()
    try git(["worktree", "add", "-q", "-b", "feature", scratch.appendingPathComponent("wt").path], in: repo)
    let worktree = scratch.appendingPathComponent("wt")
    try write("wip\n", "a.txt", in: worktree)
    let info = try #require(try GitRepository.discover(from: worktree.appendingPathComponent("deep").path))
    #expect(info.root == worktree.path)
    #expect(info.isWorktree)
    #expect(info.branch == "feature")
    #expect(info.headCommit == (try git(["rev-parse", "HEAD"], in: repo)))
    #expect(info.isDirty)
    // The main work tree is unaffected by the worktree's edit.
    #expect(try GitRepository.discover(from: repo.path)?.isDirty == false)
  }

  /// Containers often mount a checkout owned by another user; libgit2's owner check must not reject it.
  @Test(.enabled(if: getuid() == 0, "needs root to give the repository away"))
  func repositoryOwnedByAnotherUser() throws {
    let repo = try committedRepository()
    let head = try git(["rev-parse", "HEAD"], in: repo)
    try run("/bin/chown", ["-R", "65534:65534", repo.path])
    let info = try #require(try GitRepository.discover(from: repo.path))
    #expect(info.root == repo.path)
    #expect(info.headCommit == head)
  }

  /// The start-up walk (no libgit2) must agree with git on worktrees, bare repositories and
  /// relative or `..` paths.
  @Test func rootWalkAgreesWithGit() throws {
    let repo = try committedRepository()
    let worktree = scratch.appendingPathComponent("wt")
    try git(["worktree", "add", "-q", "-b", "side", worktree.path], in: repo)
    #expect(GitRepository.root(containing: worktree.appendingPathComponent("deep/er").path) == worktree.path)
    #expect(GitRepository.root(containing: worktree.path) == (try git(["rev-parse", "--show-toplevel"], in: worktree)))
    #expect(GitRepository.root(containing: repo.path + "/deep/../deep/er/./") == repo.path)
    // Inside a repository's .git directory there is no work tree to name.
    try git(["init", "-q", "--bare", "bare.git"])
    #expect(GitRepository.root(containing: scratch.appendingPathComponent("bare.git/refs").path) == nil)
  }

  @Test func notARepository() throws {
    let plain = scratch.appendingPathComponent("plain")
    try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
    #expect(try GitRepository.discover(from: plain.path) == nil)
    #expect(GitRepository.root(containing: plain.path) == nil)
  }
}

struct GitFixtureError: Error { let arguments: [String] }

/// libgit2 is looked up at run time: a missing or foreign library is an error that says what to do.
@Suite("libgit2 loading")
struct LibGit2LoadingTests {
  @Test func aMissingLibraryNamesWhatWasTriedAndWhatToInstall() {
    #expect {
      _ = try LibGit2.load(["/nonexistent/libgit2.so.0"])
    } throws: { error in
      guard let error = error as? GitError else { return false }
      return error.code == GitError.libraryUnavailable
        && error.message.contains("(/nonexistent/libgit2.so.0: cannot open shared object file")
    }
    #expect(GitError.installHint.contains("apt install libgit2-\(LibGit2.soVersion)"))
  }

  @Test func aLibraryWithoutLibgit2sFunctionsIsRefused() {
    // libz is loaded (mtobs links it) and has none of libgit2's symbols.
    #expect {
      _ = try LibGit2.load(["libz.so.1"])
    } throws: { error in
      (error as? GitError)?.message
        == "libgit2 \(LibGit2.soVersion) could not be loaded (libz.so.1: the loaded libgit2 has no "
        + "git_libgit2_version: it is not version \(LibGit2.soVersion))"
    }
  }

  @Test func anotherMinorVersionIsRefusedRatherThanMisread() {
    #expect(LibGit2.versionProblem(major: 1, minor: 5, patch: 2) == nil)
    #expect(LibGit2.versionProblem(major: 1, minor: 5, patch: 0) == nil)
    #expect(
      LibGit2.versionProblem(major: 1, minor: 7, patch: 1)
        == "it is libgit2 1.7.1, and mtobs was built against 1.5, whose structures differ")
    #expect(LibGit2.versionProblem(major: 0, minor: 28, patch: 5) != nil)
  }

  @Test func theInstalledLibraryLoadsAndInitialises() throws {
    // git_libgit2_init counts the initialisations: the shared one, then this one.
    #expect(try LibGit2.load(LibGit2.candidates).libgit2Init() >= 1)
    #expect((try? LibGit2.shared.get()) != nil)
  }
}

import Foundation
import TestSupport
import Testing

/// `mtobs plugin install|upgrade|remove` against real local git repositories made with the git CLI.
@Suite(
  "plugin install, upgrade and remove",
  .enabled("git is needed to make the fixture repositories") { which("git") != nil })
struct PluginInstallTests {
  let home: TemporaryDirectory
  let cli: CLI
  let upstream: URL

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
    upstream = home.url.appendingPathComponent("upstream")
    try FileManager.default.createDirectory(at: upstream, withIntermediateDirectories: true)
    try git(["init", "-q"], in: upstream)
    try commitPlugin(says: "v1")
  }

  func commitPlugin(says word: String, amend: Bool = false) throws {
    try home.writePlugin(
      "hello", in: "upstream", script: PluginScript.text(summary: "Says \(word).", body: "echo \(word)"))
    try git(["add", "mtobs-hello"], in: upstream)
    try git(["commit", "-q", "-m", word] + (amend ? ["--amend"] : []), in: upstream)
  }

  var installedLink: String { home.url.appendingPathComponent(".local/share/mtobs/plugins.d/mtobs-hello").path }
  var clone: URL { home.url.appendingPathComponent(".local/share/mtobs/plugins/hello") }

  func says() throws -> String {
    let result = try cli.run(["hello"])
    return result.status == 0
      ? result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) : "exit \(result.status)"
  }

  @Test func installRunsAndRecordsSourceAndCommit() throws {
    let result = try cli.run(["plugin", "install", "file://" + upstream.path])
    #expect(result.status == 0, "\(result)")
    #expect(try says() == "v1")
    let listed = try cli.run(["plugin", "list"])
    #expect(listed.standardOutput.contains("installed from file://\(upstream.path) at "), "\(listed)")
    // The clone is outside the scanned plugins.d; only the link is in it.
    let entries = try FileManager.default.contentsOfDirectory(
      atPath: (installedLink as NSString).deletingLastPathComponent)
    #expect(entries == ["mtobs-hello"])
  }

  @Test func upgradeFastForwardsToANewCommit() throws {
    #expect(try cli.run(["plugin", "install", upstream.path]).status == 0)
    let unchanged = try cli.run(["plugin", "upgrade", "hello"])
    #expect(unchanged.status == 0)
    #expect(unchanged.standardOutput.contains("up to date"), "\(unchanged)")
    try commitPlugin(says: "v2")
    let upgraded = try cli.run(["plugin", "upgrade", "--all"])
    #expect(upgraded.status == 0, "\(upgraded)")
    #expect(try says() == "v2")
  }

  @Test func rewrittenHistoryIsRefusedUnlessForced() throws {
    #expect(try cli.run(["plugin", "install", upstream.path]).status == 0)
    try commitPlugin(says: "rewritten", amend: true)
    let refused = try cli.run(["plugin", "upgrade", "hello"])
    #expect(refused.status == 2, "\(refused)")
    #expect(refused.standardError.contains("history of \(upstream.path) was rewritten"))
    #expect(try says() == "v1")
    let forced = try cli.run(["plugin", "upgrade", "hello", "--force"])
    #expect(forced.status == 0, "\(forced)")
    #expect(try says() == "rewritten")
  }

  @Test func aModifiedCheckoutIsRefusedUnlessForced() throws {
    #expect(try cli.run(["plugin", "install", upstream.path]).status == 0)
    try commitPlugin(says: "v2")
    try "#!/bin/sh\necho local\n".write(
      to: clone.appendingPathComponent("mtobs-hello"), atomically: false, encoding: .utf8)
    let refused = try cli.run(["plugin", "upgrade", "hello"])
    #expect(refused.status == 2, "\(refused)")
    #expect(refused.standardError.contains("local modifications"))
    #expect(try says() == "local")
    #expect(try cli.run(["plugin", "upgrade", "hello", "--force"]).status == 0)
    #expect(try says() == "v2")
  }

  @Test func aBadSourceFailsWithAHintAndLeavesNothingBehind() throws {
    let result = try cli.run(["plugin", "install", "file://" + home.url.appendingPathComponent("nope").path])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("cloning file://"))
    #expect(result.standardError.contains("hint:"))
    let clones = home.url.appendingPathComponent(".local/share/mtobs/plugins").path
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: clones)) ?? []).isEmpty)
    #expect(!FileManager.default.fileExists(atPath: installedLink))
  }

  @Test func aFailedUpgradeLeavesTheInstalledPluginIntact() throws {
    #expect(try cli.run(["plugin", "install", upstream.path]).status == 0)
    // The source disappears: the upgrade cannot fetch, and the installed plugin still runs.
    try FileManager.default.moveItem(at: upstream, to: home.url.appendingPathComponent("moved"))
    let result = try cli.run(["plugin", "upgrade", "hello"])
    #expect(result.status == 2, "\(result)")
    #expect(try says() == "v1")
    let clones = home.url.appendingPathComponent(".local/share/mtobs/plugins").path
    #expect(try FileManager.default.contentsOfDirectory(atPath: clones) == ["hello"])
  }

  /// libgit2 is loaded by the commands that use git, not at every start (docs/benchmarks.md).
  @Test func libgit2IsLoadedOnlyByTheCommandsThatUseGit() throws {
    // The dynamic loader names every library it maps ("file=libgit2.so.1.5 [0];  dynamically loaded by …").
    let trace = ["LD_DEBUG": "files"]
    let help = try cli.run(["--help"], environment: trace)
    #expect(help.status == 0)
    #expect(help.standardError.contains("file=libc.so"), "the trace works: \(help.standardError.prefix(300))")
    #expect(!help.standardError.contains("file=libgit2"))
    let listed = try cli.run(["plugin", "list"], environment: trace)
    #expect(listed.status == 0)
    #expect(!listed.standardError.contains("file=libgit2"))
    let installed = try cli.run(["plugin", "install", upstream.path], environment: trace)
    #expect(installed.status == 0, "\(installed.standardOutput)")
    #expect(installed.standardError.contains("file=libgit2"))
  }

  @Test func aMissingLibgit2FailsTheInstallWithWhatToInstall() throws {
    let missing = home.url.appendingPathComponent("no-such-libgit2.so").path
    let result = try cli.run(["plugin", "install", upstream.path], environment: ["MTOBS_LIBGIT2": missing])
    #expect(result.status == 2, "\(result)")
    #expect(
      result.standardError.contains("could not be loaded (\(missing): cannot open shared object file"), "\(result)")
    #expect(result.standardError.contains("or name its file in MTOBS_LIBGIT2"), "\(result)")
    #expect(!FileManager.default.fileExists(atPath: installedLink))
    // The commands that do not use git are unaffected.
    #expect(try cli.run(["plugin", "list"], environment: ["MTOBS_LIBGIT2": missing]).status == 0)
  }

  /// libgit2's owner check stays on for clones: a source another user controls is refused.
  @Test(.enabled("chown to another user needs root") { getuid() == 0 })
  func aSourceOwnedByAnotherUserIsRefused() throws {
    #expect(chown(upstream.path, 65534, 65534) == 0)
    let result = try cli.run(["plugin", "install", upstream.path])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("belongs to another user"))
    #expect(!FileManager.default.fileExists(atPath: installedLink))
  }

  @Test func installRefusesBuiltInNamesAndDuplicates() throws {
    #expect(try cli.run(["plugin", "install", upstream.path]).status == 0)
    let again = try cli.run(["plugin", "install", upstream.path])
    #expect(again.status == 2)
    #expect(again.standardError.contains("already installed"), "\(again)")
    try home.write("#!/bin/sh\necho shadow\n", to: "upstream/mtobs-health", executable: true)
    try git(["add", "mtobs-health"], in: upstream)
    try git(["commit", "-q", "-m", "health"], in: upstream)
    let builtin = try cli.run(["plugin", "install", upstream.path, "--name", "health"])
    #expect(builtin.status == 2)
    #expect(builtin.standardError.contains("'health' is a built-in command"), "\(builtin)")
  }

  @Test func removeDeletesLinkAndClone() throws {
    #expect(try cli.run(["plugin", "install", upstream.path, "--ref", "main"]).status == 0)
    let result = try cli.run(["plugin", "remove", "hello"])
    #expect(result.status == 0, "\(result)")
    #expect(try cli.run(["hello"]).status == 64)
    #expect(!FileManager.default.fileExists(atPath: clone.path))
    #expect(try cli.run(["plugin", "remove", "hello"]).status == 2)
  }
}

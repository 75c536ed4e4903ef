import Foundation
import TestSupport
import Testing

/// `mtobs NAME` with real plugin scripts in temporary directories (PRODUCT.md §5).
@Suite("plugin discovery and dispatch")
struct PluginDispatchTests {
  let home: TemporaryDirectory
  var cli: CLI
  let first: URL
  let second: URL

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
    first = home.url.appendingPathComponent("first")
    second = home.url.appendingPathComponent("second")
    cli.environment["MTOBS_PLUGIN_PATH"] = first.path + ":" + second.path
  }

  /// A plugin that prints its arguments, its parent's pid and mtobs's variables, leaves a marker
  /// that it ran, and exits with 7.
  static func echoPlugin(tag: String, marker: String) -> String {
    PluginScript.text(
      summary: "Echo what mtobs gave me (\(tag)).", version: "1.2.3",
      body: """
        touch '\(marker)'
        echo "tag=\(tag)"
        echo "argc=$#"
        for a in "$@"; do echo "arg=$a"; done
        echo "ppid=$PPID"
        env | grep '^MTOBS_' | sort
        exit 7
        """)
  }

  var marker: String { home.url.appendingPathComponent("ran").path }

  @discardableResult
  func install(_ name: String, in directory: URL, tag: String = "first", mode: Int = 0o755) throws -> URL {
    try home.writePlugin(
      name, in: directory.lastPathComponent, script: Self.echoPlugin(tag: tag, marker: marker), mode: mode)
  }

  func lines(_ result: CLI.Result, _ prefix: String) -> [String] {
    result.standardOutput.split(separator: "\n").filter { $0.hasPrefix(prefix + "=") }
      .map { String($0.dropFirst(prefix.count + 1)) }
  }

  @Test func argumentsExitStatusAndEnvironmentPassThrough() throws {
    let plugin = try install("hello", in: first)
    let result = try cli.run(
      ["hello", "a b", "--context", "x", "-n"], environment: ["MTOBS_PLUGIN_NAME": "spoofed", "MTOBS_ROOT": "/spoofed"])
    #expect(result.status == 7, "\(result)")
    #expect(lines(result, "argc") == ["4"])
    #expect(lines(result, "arg") == ["a b", "--context", "x", "-n"])
    #expect(lines(result, "MTOBS_PLUGIN_NAME") == ["hello"])
    #expect(lines(result, "MTOBS_PLUGIN_DIR") == [first.path])
    #expect(lines(result, "MTOBS_NAMESPACE") == ["monitoring"])
    #expect(lines(result, "MTOBS_COLOR") == ["never"])
    // Not in a repository: an inherited MTOBS_ROOT must not reach the plugin.
    #expect(lines(result, "MTOBS_ROOT").isEmpty)
    let binary = URL(fileURLWithPath: CLI.mtobsPath).resolvingSymlinksInPath().path
    #expect(lines(result, "MTOBS_BIN") == [binary])
    #expect(FileManager.default.fileExists(atPath: plugin.path))
  }

  @Test func theProcessIsReplacedNotForked() throws {
    try install("hello", in: first)
    let result = try cli.run(["hello"])
    // With execve the plugin's parent is this test process; a child of mtobs would name mtobs.
    #expect(lines(result, "ppid") == ["\(getpid())"], "\(result)")
  }

  @Test func globalOptionsBeforeTheNameAreResolvedForThePlugin() throws {
    try install("hello", in: first)
    let result = try cli.run(["--context", "dev", "-n", "obs", "hello", "--context", "mine"])
    #expect(result.status == 7, "\(result)")
    #expect(lines(result, "MTOBS_CONTEXT") == ["dev"])
    #expect(lines(result, "MTOBS_NAMESPACE") == ["obs"])
    // Options after the name are the plugin's own.
    #expect(lines(result, "arg") == ["--context", "mine"])
  }

  @Test func theContextInEffectComesFromTheConfigurationOrTheKubeconfig() throws {
    try install("hello", in: first)
    let kubeconfig = try home.write(
      "apiVersion: v1\nkind: Config\ncurrent-context: from-kubeconfig\n", to: "kube/config")
    let fromKubeconfig = try cli.run(["--kubeconfig", kubeconfig.path, "hello"])
    #expect(lines(fromKubeconfig, "MTOBS_CONTEXT") == ["from-kubeconfig"], "\(fromKubeconfig)")
    #expect(lines(fromKubeconfig, "MTOBS_KUBECONFIG") == [kubeconfig.path])

    let config = try home.write("context: from-file\nnamespace: filed\n", to: "mtobs-config.yaml")
    let fromFile = try cli.run(["--config", config.path, "hello"])
    #expect(lines(fromFile, "MTOBS_CONTEXT") == ["from-file"], "\(fromFile)")
    #expect(lines(fromFile, "MTOBS_NAMESPACE") == ["filed"])

    let fromEnvironment = try cli.run(["hello"], environment: ["MTOBS_CONTEXT": "from-env"])
    #expect(lines(fromEnvironment, "MTOBS_CONTEXT") == ["from-env"])
  }

  /// `--config FILE` reaches the plugin as MTOBS_CONFIG (absolute), so its own `$MTOBS_BIN …`
  /// calls read the same file; without it the user's MTOBS_CONFIG passes through unchanged.
  @Test func theConfigFileReachesThePluginAsMTOBSCONFIG() throws {
    try install("hello", in: first)
    _ = try home.write("namespace: filed\n", to: "settings.yaml")
    let given = try cli.run(["--config", "settings.yaml", "hello"])
    #expect(lines(given, "MTOBS_CONFIG") == [home.url.appendingPathComponent("settings.yaml").path], "\(given)")
    #expect(lines(given, "MTOBS_NAMESPACE") == ["filed"])
    let inherited = try cli.run(
      ["hello"], environment: ["MTOBS_CONFIG": home.url.appendingPathComponent("settings.yaml").path])
    #expect(lines(inherited, "MTOBS_CONFIG") == [home.url.appendingPathComponent("settings.yaml").path])
    let none = try cli.run(["hello"])
    #expect(lines(none, "MTOBS_CONFIG").isEmpty)
  }

  @Test func aBrokenConfigurationIsReportedAndThePluginDoesNotRun() throws {
    try install("hello", in: first)
    let config = try home.write("namespace: [unclosed\n", to: "broken.yaml")
    let result = try cli.run(["--config", config.path, "hello"])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains(config.path))
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func theFirstDirectoryWinsAndLaterOnesAreReportedShadowed() throws {
    try install("hello", in: first, tag: "first")
    let later = try install("hello", in: second, tag: "second")
    let result = try cli.run(["hello"])
    #expect(lines(result, "tag") == ["first"])
    let list = try listing()
    let shadowed = try #require(list.first { $0.path == later.path })
    #expect(shadowed.warnings.contains { $0.contains("shadowed by \(first.path)/mtobs-hello") })
    #expect(shadowed.runnable == false)
  }

  @Test func builtInsAlwaysWin() throws {
    try install("version", in: first)
    let result = try cli.run(["version", "--client"])
    #expect(lines(result, "tag").isEmpty, "\(result)")
    #expect(!FileManager.default.fileExists(atPath: marker))
    let entry = try #require(try listing().first { $0.name == "version" })
    #expect(entry.warnings.contains { $0.hasPrefix("shadowed by the built-in") })
  }

  @Test func groupWritableFilesAndDirectoriesAreRefused() throws {
    try install("hello", in: first, mode: 0o775)
    let result = try cli.run(["hello"])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("writable by its group"))
    #expect(!FileManager.default.fileExists(atPath: marker))

    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: first.path + "/mtobs-hello")
    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: first.path)
    let directory = try cli.run(["hello"])
    #expect(directory.status == 2, "\(directory)")
    #expect(directory.standardError.contains("its directory \(first.path) is writable by others"))
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test(.enabled("chown to another user needs root") { getuid() == 0 })
  func filesOfAnotherUserAreRefused() throws {
    let plugin = try install("hello", in: first)
    #expect(chown(plugin.path, 65534, 65534) == 0)
    let result = try cli.run(["hello"])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("belongs to another user (uid 65534)"))
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func aFileThatIsNotExecutableIsRefusedNotSkipped() throws {
    try install("hello", in: first, mode: 0o644)
    try install("hello", in: second, tag: "second")
    let result = try cli.run(["hello"])
    #expect(result.status == 2, "\(result)")
    #expect(result.standardError.contains("not executable"))
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func noPluginsRunWhenTurnedOffOrFromRelativeEntries() throws {
    try install("hello", in: first)
    let off = try cli.run(["hello"], environment: ["MTOBS_NO_PLUGINS": "1"])
    #expect(off.status == 64, "\(off)")
    #expect(off.standardError.contains("unknown command 'hello'"))
    // A relative entry would resolve against the directory the user stands in: never used.
    let relative = try cli.run(["hello"], environment: ["MTOBS_PLUGIN_PATH": "first"])
    #expect(relative.status == 64, "\(relative)")
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func rootHelpListsPluginsWithoutRunningThem() throws {
    try install("hello", in: first)
    try home.write(
      "#!/bin/sh\n# mtobs-summary: Bad \u{1b}[31mred\nexit 0\n", to: "second/mtobs-tinted", executable: true)
    let result = try cli.run(["--help"])
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("PLUGIN COMMANDS:\n  hello"), "\(result)")
    #expect(result.standardOutput.contains("Echo what mtobs gave me (first)."))
    // A summary cannot carry terminal escapes into the help.
    #expect(!result.standardOutput.contains("\u{1b}"))
    #expect(!FileManager.default.fileExists(atPath: marker))
    let off = try cli.run(["--help"], environment: ["MTOBS_NO_PLUGINS": "1"])
    #expect(!off.standardOutput.contains("PLUGIN COMMANDS:"))
  }

  @Test func helpForAPluginIsThePluginsOwn() throws {
    try install("hello", in: first)
    for arguments in [["help", "hello"], ["hello", "--help"]] {
      let result = try cli.run(arguments)
      #expect(result.status == 7, "\(arguments): \(result)")
      #expect(lines(result, "arg") == ["--help"], "\(arguments)")
    }
  }

  @Test func anUnknownCommandSuggestsTheNearestPlugin() throws {
    try install("hello", in: first)
    let result = try cli.run(["helo"])
    #expect(result.status == 64)
    #expect(result.standardError.contains("did you mean 'mtobs hello'?"), "\(result)")
  }

  @Test(requires("git")) func repositoryPluginsRunOnlyOnceTrustedAndUntilChanged() throws {
    var cli = self.cli
    cli.environment.removeValue(forKey: "MTOBS_PLUGIN_PATH")
    let repository = home.url.appendingPathComponent("repo")
    try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
    try git(["init", "-q"], in: repository)
    let plugin = try home.write(
      Self.echoPlugin(tag: "repo", marker: marker), to: "repo/plugins.d/mtobs-hello", executable: true)
    cli.workingDirectory = repository

    let untrusted = try cli.run(["hello"])
    #expect(untrusted.status == 2, "\(untrusted)")
    #expect(untrusted.standardError.contains("mtobs plugin trust"))
    #expect(!FileManager.default.fileExists(atPath: marker))

    let trust = try cli.run(["plugin", "trust"])
    #expect(trust.status == 0, "\(trust)")
    let trusted = try cli.run(["hello"])
    #expect(trusted.status == 7, "\(trusted)")
    #expect(lines(trusted, "MTOBS_ROOT") == [repository.resolvingSymlinksInPath().path])

    try (Self.echoPlugin(tag: "changed", marker: marker) + "\n# more\n").write(
      to: plugin, atomically: false, encoding: .utf8)
    try FileManager.default.removeItem(atPath: marker)
    let changed = try cli.run(["hello"])
    #expect(changed.status == 2, "\(changed)")
    #expect(changed.standardError.contains("changed since 'mtobs plugin trust'"))
    #expect(!FileManager.default.fileExists(atPath: marker))

    #expect(try cli.run(["plugin", "trust"]).status == 0)
    #expect(try cli.run(["hello"]).status == 7)
    #expect(try cli.run(["plugin", "untrust"]).status == 0)
    #expect(try cli.run(["hello"]).status == 2)
  }

  struct Listed: Decodable {
    let name: String
    let summary: String?
    let version: String?
    let path: String
    let origin: String
    let runnable: Bool
    let warnings: [String]
  }

  func listing() throws -> [Listed] {
    struct Document: Decodable {
      let kind: String
      let plugins: [Listed]
    }
    let result = try cli.run(["plugin", "list", "-o", "json"])
    #expect(result.status == 0, "\(result)")
    return try JSONDecoder().decode(Document.self, from: Data(result.standardOutput.utf8)).plugins
  }

  @Test func listShowsNameSummaryVersionPathOriginAndWarnings() throws {
    let plugin = try install("hello", in: first)
    try install("broken", in: second, mode: 0o644)
    let list = try listing()
    #expect(list.count == 2)
    let hello = try #require(list.first { $0.name == "hello" })
    #expect(hello.summary == "Echo what mtobs gave me (first).")
    #expect(hello.version == "1.2.3")
    #expect(hello.path == plugin.path)
    #expect(hello.origin == "path")
    #expect(hello.warnings.isEmpty)
    #expect(hello.runnable)
    let broken = try #require(list.first { $0.name == "broken" })
    #expect(broken.warnings == ["not executable (chmod +x it)"])
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  /// `plugin list` as typed skips the argument parser; with an option it goes through it: the
  /// same listing either way.
  @Test func thePlainListIsTheParsersList() throws {
    try install("hello", in: first)
    try install("broken", in: second, mode: 0o644)
    let plain = try cli.run(["plugin", "list"])
    let parsed = try cli.run(["plugin", "list", "--output", "table"])
    #expect(plain.status == 0)
    #expect(parsed.status == 0)
    #expect(plain.standardOutput.components(separatedBy: "warning: not executable").count == 2, "\(plain)")
    #expect(plain.standardOutput == parsed.standardOutput)
    #expect(plain.standardError == parsed.standardError)
  }
}

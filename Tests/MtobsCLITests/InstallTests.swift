import Foundation
import Testing

/// `make install` / `make uninstall` (scripts/install, which the Makefile calls after building) on
/// a checkout made under umask 002, where every file of the repository is group-writable.
@Suite("make install")
struct InstallTests {
  let home: TemporaryDirectory
  /// A copy of the repository's installed files, group-writable like a checkout under umask 002.
  let checkout: URL
  let destination: URL
  let prefix = "/opt/mtobs-test"

  init() throws {
    home = try TemporaryDirectory()
    checkout = home.url.appendingPathComponent("checkout")
    destination = home.url.appendingPathComponent("destdir")
    let files = FileManager.default
    try files.createDirectory(at: checkout.appendingPathComponent("scripts"), withIntermediateDirectories: true)
    try files.copyItem(
      at: CLI.packageRoot.appendingPathComponent("scripts/install"),
      to: checkout.appendingPathComponent("scripts/install"))
    for folder in ["plugins.d", "deploy", "man", "completions"] {
      try files.copyItem(
        at: CLI.packageRoot.appendingPathComponent(folder), to: checkout.appendingPathComponent(folder))
    }
    _ = try shell("chmod -R g+w '\(checkout.path)'")
    // A page of another package that shares the man1 folder: uninstall must leave it.
    _ = try home.write(".TH OTHER 1\n", to: "destdir\(prefix)/share/man/man1/mtobs-foreign.1")
  }

  func shell(_ script: String) throws -> CLI.Result {
    try CLI.run(
      executable: "/bin/bash", ["-c", script],
      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.url.path],
      in: checkout)
  }

  func install(_ arguments: String) throws -> CLI.Result {
    try shell("umask 002; PREFIX='\(prefix)' DESTDIR='\(destination.path)' scripts/install \(arguments)")
  }

  /// Every file and folder below `folder`, relative to the install root.
  func entries(below folder: String) -> [String] {
    let root = destination.path + prefix
    let enumerator = FileManager.default.enumerator(atPath: root + "/" + folder)
    return (enumerator?.allObjects as? [String] ?? []).map { folder + "/" + $0 }
  }

  func isFolder(_ path: String) -> Bool {
    var folder: ObjCBool = false
    return FileManager.default.fileExists(atPath: destination.path + prefix + "/" + path, isDirectory: &folder)
      && folder.boolValue
  }

  func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: destination.path + prefix + "/" + path)
    return try #require(attributes[.posixPermissions] as? Int)
  }

  /// fish without XDG_DATA_DIRS (Debian's fish 3.6) reads vendor completions only below its own
  /// prefix: installed there, the file lands where fish looks; elsewhere, install says what to add.
  @Test(
    .enabled("fish or its pkg-config file is missing") {
      which("fish") != nil && which("pkg-config") != nil
        && (try? CLI.run(
          executable: which("pkg-config")!, ["--variable", "completionsdir", "fish"],
          environment: ["PATH": "/usr/bin:/bin"], in: CLI.packageRoot))?.standardOutput.isEmpty == false
    })
  func fishCompletionsGoWhereFishLooks() throws {
    func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
      let path = ["PATH": "/usr/bin:/bin", "HOME": home.url.path].merging(environment) { $1 }
      return try CLI.run(executable: executable, arguments, environment: path, in: home.url).standardOutput
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let fishPrefix = try output(which("pkg-config")!, ["--variable", "prefix", "fish"])
    let directory = try output(which("pkg-config")!, ["--variable", "completionsdir", "fish"])
    let searched = try output(which("fish")!, ["-c", #"printf "%s\n" $fish_complete_path"#])
    #expect(searched.split(separator: "\n").contains(Substring(directory)), "\(searched)")

    let installed = try shell(
      "PREFIX='\(fishPrefix)' DESTDIR='\(destination.path)' scripts/install '\(CLI.binDirectory.path)'")
    #expect(installed.status == 0, "\(installed)")
    #expect(FileManager.default.fileExists(atPath: destination.path + directory + "/mtobs.fish"), "\(installed)")
    #expect(!installed.standardError.contains("fish_complete_path"), "\(installed)")

    let elsewhere = try install("'\(CLI.binDirectory.path)'")
    #expect(elsewhere.status == 0)
    #expect(
      FileManager.default.fileExists(
        atPath: destination.path + prefix + "/share/fish/vendor_completions.d/mtobs.fish"))
    #expect(
      elsewhere.standardError.contains("set -p fish_complete_path \(prefix)/share/fish/vendor_completions.d"),
      "\(elsewhere)")
  }

  @Test func installsWithModesMtobsAcceptsAndUninstallsExactlyItsFiles() throws {
    let installed = try install("'\(CLI.binDirectory.path)'")
    #expect(installed.status == 0, "\(installed)")

    let own = ["libexec/mtobs", "share/mtobs"].flatMap(entries(below:)) + ["libexec/mtobs", "share/mtobs"]
    #expect(own.contains("libexec/mtobs/plugins.d/mtobs-events"), "\(own)")
    #expect(own.contains("share/mtobs/deploy/skaffold.yaml"), "\(own)")
    for path in own {
      let executable = isFolder(path) || path.hasPrefix("libexec/mtobs/plugins.d/mtobs-") || path.hasSuffix("-child")
      let found = try mode(path)
      #expect(found == (executable ? 0o755 : 0o644), "\(path): mode \(String(found, radix: 8))")
    }
    #expect(try mode("bin/mtobs") == 0o755)
    #expect(try mode("share/man/man1/mtobs-health.1") == 0o644)

    // The installed mtobs runs its shipped plugins and finds its deploy assets.
    let mtobs = destination.path + prefix + "/bin/mtobs"
    let cli = CLI(home: home.url)
    let listed = try CLI.run(
      executable: mtobs, ["plugin", "list", "-o", "json"], environment: cli.environment, in: home.url)
    #expect(listed.status == 0, "\(listed)")
    struct Listed: Decodable {
      let name: String
      let origin: String
      let runnable: Bool
    }
    struct Document: Decodable { let plugins: [Listed] }
    let plugins = try JSONDecoder().decode(Document.self, from: Data(listed.standardOutput.utf8)).plugins
    #expect(plugins.filter { $0.origin == "shipped" && $0.runnable }.map(\.name).sorted() == ["events", "traces"])
    let profiles = try CLI.run(
      executable: mtobs, ["---completion", "deploy", "--", "--profile", "3", "0", "mtobs", "deploy", "--profile", ""],
      environment: cli.environment, in: home.url)
    #expect(profiles.standardOutput.split(separator: "\n").contains("all-infra"), "\(profiles)")

    let removed = try install("--uninstall")
    #expect(removed.status == 0, "\(removed)")
    let left = ["bin", "libexec", "share"].flatMap(entries(below:)).filter { !isFolder($0) }
    #expect(left == ["share/man/man1/mtobs-foreign.1"])
  }
}

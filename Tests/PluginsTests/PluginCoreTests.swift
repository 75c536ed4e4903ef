import Foundation
import TestSupport
import Testing

@testable import Plugins

@Suite struct PluginCoreTests {
  @Test func sha256MatchesPublishedVectors() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // Two blocks of padding.
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func nameRule() {
    for valid in ["a", "hello", "kafka-lag", "x1-2b"] { #expect(PluginName.isValid(valid), "\(valid)") }
    for invalid in ["", "Hello", "1a", "-a", "a-", "a--b", "a_b", "a.sh", "a b"] {
      #expect(!PluginName.isValid(invalid), "\(invalid)")
    }
    #expect(PluginName.fromFileName("mtobs-kafka-lag") == "kafka-lag")
    #expect(PluginName.fromFileName("mtobs-hello.yaml") == nil)
    #expect(PluginName.fromFileName("kubectl-hello") == nil)
  }

  @Test func summaryAndVersionComeFromTheFirstLinesOnly() {
    let head = "#!/bin/sh\n# mtobs-summary:  Show traces \n# mtobs-version: 0.3\n"
    #expect(PluginMetadata.fromScriptHead(head) == PluginMetadata(summary: "Show traces", version: "0.3"))
    let late = String(repeating: "#\n", count: 12) + "# mtobs-summary: too late\n"
    #expect(PluginMetadata.fromScriptHead(late).summary == nil)
    #expect(PluginMetadata.sanitized("a\u{1b}[31mb\u{07}") == "a [31mb")
    #expect(PluginMetadata.sanitized(String(repeating: "x", count: 200))?.count == 80)
  }

  /// The ASCII fast path of `sanitized` gives what the scalar-by-scalar path gives.
  @Test func sanitizingASCIIAgreesWithTheGeneralPath() {
    let alphabet = Array("  ab~#:-.0")
    var samples = ["", " ", "   ", "x", " x ", String(repeating: "y", count: 79), String(repeating: "y", count: 80)]
    samples += [String(repeating: "y", count: 81), " " + String(repeating: "z", count: 85) + "  "]
    // Deterministic mixes of spaces and text, 0 to 100 characters long.
    for sample in 0..<2000 {
      let length = sample * 37 % 101
      samples.append(String((0..<length).map { alphabet[(sample * 7 + $0 * 13 + $0 * $0) % alphabet.count] }))
    }
    let disagreements = samples.filter { PluginMetadata.sanitized($0) != PluginMetadata.sanitizedScalars($0) }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
  }

  @Test func aManifestBesideTheFileWins() throws {
    let directory = try TemporaryDirectory()
    let plugin = try directory.write("#!/bin/sh\n# mtobs-summary: from script\n", to: "mtobs-x", executable: true)
    _ = try directory.write("name: x\nversion: 2.0.1\nsummary: from manifest\n", to: "mtobs-x.yaml")
    #expect(PluginMetadata.read(pluginPath: plugin.path) == PluginMetadata(summary: "from manifest", version: "2.0.1"))
  }

  @Test func directoryOrder() {
    let environment = ["HOME": "/home/u", "XDG_DATA_HOME": "/data"]
    let directories = PluginDirectories.list(
      environment: environment, repositoryRoot: "/repo", executablePath: "/opt/mtobs/bin/mtobs")
    #expect(
      directories == [
        PluginDirectory(path: "/repo/plugins.d", origin: .repository),
        PluginDirectory(path: "/data/mtobs/plugins.d", origin: .installed),
        PluginDirectory(path: "/opt/mtobs/bin/plugins.d", origin: .shipped),
        PluginDirectory(path: "/opt/mtobs/libexec/mtobs/plugins.d", origin: .shipped),
      ])
    let only = PluginDirectories.list(
      environment: environment.merging(["MTOBS_PLUGIN_PATH": "/a:rel:/b:/a"]) { $1 }, repositoryRoot: "/repo",
      executablePath: "/opt/mtobs/bin/mtobs")
    #expect(only.map(\.path) == ["/a", "/b"])
    #expect(
      PluginDirectories.list(
        environment: ["MTOBS_NO_PLUGINS": "1"], repositoryRoot: "/repo", executablePath: "/x/mtobs"
      ).isEmpty)
  }

  @Test func trustIsPerFileContent() throws {
    let directory = try TemporaryDirectory()
    let plugin = try directory.write("#!/bin/sh\n", to: "mtobs-a", executable: true)
    var store = TrustStore()
    #expect(store.verdict(directory: directory.url.path, fileName: "mtobs-a") == .directoryNotTrusted)
    #expect(try store.trust(directory: directory.url.path) == 1)
    #expect(store.verdict(directory: directory.url.path, fileName: "mtobs-a") == .trusted)
    _ = try directory.write("#!/bin/sh\n", to: "mtobs-b", executable: true)
    #expect(store.verdict(directory: directory.url.path, fileName: "mtobs-b") == .newSinceTrusted)
    try "#!/bin/sh\necho changed\n".write(to: plugin, atomically: false, encoding: .utf8)
    #expect(store.verdict(directory: directory.url.path, fileName: "mtobs-a") == .changedSinceTrusted)
    let forgotten = store.untrust(directory: directory.url.path)
    #expect(forgotten)
    #expect(store.verdict(directory: directory.url.path, fileName: "mtobs-a") == .directoryNotTrusted)
  }
}

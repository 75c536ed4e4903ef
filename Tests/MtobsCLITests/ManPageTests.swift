import Foundation
import Testing

/// The committed man pages (scripts/generate-docs; drift is checked by `make test`) are valid
/// mdoc and carry the sections a man page is read for.
@Suite("Man pages")
struct ManPageTests {
  static let directory = CLI.packageRoot.appendingPathComponent("man")

  static var pages: [URL] {
    ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
      .filter { $0.pathExtension == "1" }.sorted { $0.path < $1.path }
  }

  @Test(requires("mandoc")) func mandocReportsNothingAboveStyleLevel() throws {
    let pages = Self.pages
    #expect(pages.count >= 10)
    let result = try CLI.run(
      executable: which("mandoc")!, ["-Tlint", "-W", "warning"] + pages.map(\.path),
      environment: ["PATH": "/usr/bin:/bin"], in: Self.directory)
    #expect(result.standardOutput + result.standardError == "", "\(result)")
  }

  @Test func everyPageHasEnvironmentFilesAndTheExitStatuses() throws {
    for page in Self.pages {
      let text = try String(contentsOf: page, encoding: .utf8)
      for heading in [".Sh ENVIRONMENT", ".Sh FILES", ".Sh \"EXIT STATUS\""] {
        #expect(text.contains("\n" + heading + "\n"), "\(page.lastPathComponent) lacks \(heading)")
      }
      // The statuses of PRODUCT.md §4, not the generator's generic `.Ex -std`.
      for status in ["0", "1", "2", "64", "130"] {
        #expect(text.contains("\n.It \(status)\n"), "\(page.lastPathComponent) lacks exit status \(status)")
      }
      #expect(!text.contains(".Ex -std"), "\(page.lastPathComponent)")
      // man-db warns about blank lines ("Empty input line").
      #expect(!text.contains("\n\n"), "\(page.lastPathComponent) has an empty line")
    }
  }

  @Test func examplesAreTheirOwnSection() throws {
    let health = try String(contentsOf: Self.directory.appendingPathComponent("mtobs-health.1"), encoding: .utf8)
    let examples = health.components(separatedBy: ".Sh EXAMPLES\n").last ?? ""
    #expect(examples.hasPrefix(".Bd -literal"))
    #expect(examples.contains("\nmtobs health --wait 2m"))
  }

  /// `--no-wait` says what it does instead of repeating `--wait`'s text.
  @Test func noWaitSaysWhatItDoes() throws {
    let deploy = try String(contentsOf: Self.directory.appendingPathComponent("mtobs-deploy.1"), encoding: .utf8)
    guard let item = deploy.components(separatedBy: ".It Fl -no-wait\n").dropFirst().first else {
      Issue.record("no --no-wait item in mtobs-deploy.1")
      return
    }
    let text = item.prefix { $0 != "." }
    #expect(text.contains("no rollout wait"), "\(text)")
  }
}

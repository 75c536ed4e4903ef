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

  /// Each page as a reader sees it in an 80-column terminal, by each renderer installed here:
  /// man-db (groff) and mandoc.
  static func renderedAt80Columns(_ page: URL) throws -> [(renderer: String, text: String)] {
    var rendered: [(String, String)] = []
    let environment = ["PATH": "/usr/bin:/bin", "MANWIDTH": "80", "LANG": "C.UTF-8", "MANPAGER": "cat"]
    if let man = which("man") {
      let result = try CLI.run(executable: man, ["-l", page.path], environment: environment, in: directory)
      #expect(result.status == 0, "\(result)")
      rendered.append(("man", result.standardOutput))
    }
    if let mandoc = which("mandoc") {
      let result = try CLI.run(
        executable: mandoc, ["-Tutf8", "-O", "width=80", page.path], environment: environment, in: directory)
      #expect(result.status == 0, "\(result)")
      rendered.append(("mandoc", result.standardOutput))
    }
    return rendered
  }

  /// No line is wider than the terminal, and no line wraps back to the margin: a line of a few
  /// words, less indented than the lines either side of it, is the end of a table row or example
  /// that did not fit (a list item's first line has more words than that).
  @Test(.enabled("neither man nor mandoc is installed") { which("man") != nil || which("mandoc") != nil })
  func everyPageReadsWellAt80Columns() throws {
    for page in Self.pages {
      for (renderer, text) in try Self.renderedAt80Columns(page) {
        // Bold and underline as the terminal draws them: "X<BS>X" and "_<BS>X" take one column.
        var drawn: [Character] = []
        for character in text {
          if character == "\u{8}" { _ = drawn.popLast() } else { drawn.append(character) }
        }
        let lines = String(drawn).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count > 10, "\(renderer) \(page.lastPathComponent): \(text.prefix(300))")
        for line in lines where line.count > 80 {
          Issue.record("\(renderer) \(page.lastPathComponent): \(line.count) columns: \(line)")
        }
        func indentation(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        for index in lines.indices.dropFirst().dropLast() {
          let (before, line, after) = (lines[index - 1], lines[index], lines[index + 1])
          guard !before.isEmpty, !line.isEmpty, !after.isEmpty else { continue }
          if indentation(line) < indentation(before), indentation(line) < indentation(after),
            line.split(separator: " ").count <= 3
          {
            Issue.record("\(renderer) \(page.lastPathComponent): wrapped back to the margin: '\(line)'")
          }
        }
      }
    }
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

  /// Every page has examples, each a command of the page's own (README: "Each page has … EXAMPLES").
  @Test func everyPageHasExamplesOfItsCommand() throws {
    #expect(Self.pages.count >= 21)
    for page in Self.pages {
      let text = try String(contentsOf: page, encoding: .utf8)
      let command = page.deletingPathExtension().lastPathComponent.replacingOccurrences(of: "-", with: " ")
      guard let section = text.components(separatedBy: "\n.Sh EXAMPLES\n").dropFirst().first else {
        Issue.record("\(page.lastPathComponent) has no EXAMPLES section")
        continue
      }
      let body = section.components(separatedBy: "\n.Ed").first ?? ""
      let commands = body.split(separator: "\n").filter { $0.hasPrefix("mtobs ") || $0.contains(" mtobs ") }
      // mtobs-debug-dapr.1 names "mtobs debug dapr" once dashes are spaces; the page's words suffice.
      let words = command.split(separator: " ").map(String.init)
      #expect(
        commands.contains { line in words.allSatisfy { line.contains($0) } },
        "\(page.lastPathComponent): no example runs \(command): \(body)")
    }
  }

  /// mtobs.1 lists every command with its page, and its SYNOPSIS shows the global options.
  @Test func theRootPageListsTheCommandsAndTheGlobalOptions() throws {
    let root = try String(contentsOf: Self.directory.appendingPathComponent("mtobs.1"), encoding: .utf8)
    let commands =
      root.components(separatedBy: "\n.Sh COMMANDS\n").dropFirst().first?
      .components(separatedBy: "\n.Sh ").first ?? ""
    let listed = commands.split(separator: "\n").filter { $0.hasPrefix(".It Cm ") }.map { $0.dropFirst(7) }
    #expect(
      Set(listed) == [
        "deploy", "health", "debug-dapr", "verify", "logs", "grafana", "pyroscope", "forward",
        "bundle", "version", "config", "completion", "plugin", "help",
      ], "\(listed)")
    let synopsis = root.components(separatedBy: ".Sh SYNOPSIS\n").last?.components(separatedBy: ".Sh ").first ?? ""
    for option in ["--context", "--kubeconfig", "--namespace", "--config", "--verbose", "--dry-run", "--no-color"] {
      #expect(synopsis.contains(".Op Fl \(option.dropFirst())"), "mtobs.1 SYNOPSIS lacks \(option)")
    }
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

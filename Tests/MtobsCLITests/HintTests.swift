import Foundation
import MtobsCore
import Testing

/// Hints never name a command or flag that this build lacks: every `mtobs …` a hint or a help
/// text mentions is walked against the command tree the binary reports about itself.
@Suite("hints name only what exists")
struct HintTests {
  /// Command name → its options (long names and short letters), from `--experimental-dump-help`.
  static func commandTree() throws -> [String: Set<String>] {
    let home = try TemporaryDirectory()
    let result = try CLI(home: home.url).run(["--experimental-dump-help"])
    let document = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
    let root = try #require(document?["command"] as? [String: Any], "\(result)")
    var tree: [String: Set<String>] = [:]
    // Nested commands (`plugin install`) are keyed by their path, so their flags are checked too.
    func add(_ commands: [[String: Any]], prefix: String) {
      for command in commands {
        guard let name = command["commandName"] as? String else { continue }
        let names = (command["arguments"] as? [[String: Any]] ?? []).flatMap { argument in
          (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
        tree[prefix + name] = Set(names)
        add(command["subcommands"] as? [[String: Any]] ?? [], prefix: prefix + name + " ")
      }
    }
    add(root["subcommands"] as? [[String: Any]] ?? [], prefix: "")
    return tree
  }

  /// What is wrong with the `mtobs …` commands and flags `text` mentions. `command` is the
  /// command the text is printed by: a bare `--flag` outside any tool's command line must be
  /// one of its options.
  static func problems(in text: String, printedBy commands: [String], tree: [String: Set<String>]) -> [String] {
    var problems: [String] = []
    // Segments end where a shell command would: backticks, quotes, `;`, `|`, parentheses, `#`.
    let segments = text.split(whereSeparator: { "`'\";|()#\n".contains($0) }).map(String.init)
    for segment in segments {
      let words = segment.split(separator: " ").map {
        String($0).trimmingCharacters(in: CharacterSet(charactersIn: ",.:"))
      }
      if let index = words.firstIndex(of: "mtobs"), index + 1 < words.count {
        let name = words[index + 1]
        guard !name.hasPrefix("-"), looksLikeCommand(name, line: segment) else { continue }  // `mtobs --help`, prose
        guard var options = tree[name] else {
          problems.append("'mtobs \(name)' is not a command of this build (in: \(text))")
          continue
        }
        var flagsStart = index + 2
        if flagsStart < words.count, let nested = tree[name + " " + words[flagsStart]] {
          options = nested
          flagsStart += 1
        }
        for flag in words[flagsStart...] where flag.hasPrefix("--") {
          let option = String(flag.dropFirst(2).prefix { $0.isLetter || $0 == "-" })
          if !option.isEmpty, !options.contains(option) {
            problems.append("'mtobs \(name)' has no --\(option) (in: \(text))")
          }
        }
        continue
      }
      if words.contains(where: { ["kubectl", "helm", "skaffold", "git", "jq", "curl"].contains($0) }) { continue }
      for flag in words where flag.hasPrefix("--") {
        let option = String(flag.dropFirst(2).prefix { $0.isLetter || $0 == "-" })
        for command in commands where !option.isEmpty && !(tree[command]?.contains(option) ?? false) {
          problems.append("\(command) has no --\(option) (in: \(text))")
        }
      }
    }
    return problems
  }

  @Test func theWalkerCatchesWhatItMust() throws {
    let tree = ["health": Set(["wait", "o", "output"])]
    #expect(Self.problems(in: "mtobs logs collector --previous", printedBy: [], tree: tree).count == 1)
    #expect(Self.problems(in: "`mtobs health --timeout 5s`", printedBy: [], tree: tree).count == 1)
    #expect(Self.problems(in: "or raise --timeout", printedBy: ["health"], tree: tree).count == 1)
    #expect(Self.problems(in: "kubectl get pods --all-namespaces", printedBy: ["health"], tree: tree).isEmpty)
    #expect(Self.problems(in: "`mtobs health --wait 2m`", printedBy: [], tree: tree).isEmpty)
  }

  @Test func healthHintsOnEveryExampleBundle() throws {
    let tree = try Self.commandTree()
    var problems: [String] = []
    for name in ["healthy", "broken"] {
      let path = CLI.packageRoot.appendingPathComponent("examples/bundles/\(name).json").path
      let snapshot = try BundleFile.load(path: path)
      for result in HealthChecks.evaluate(snapshot) {
        for text in [result.hint, result.message].compactMap({ $0 }) {
          problems += Self.problems(in: text, printedBy: ["health"], tree: tree)
        }
      }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  @Test func clusterErrorHintsHoldForEveryCommandThatTalksToTheCluster() throws {
    let tree = try Self.commandTree()
    let target = KubeTarget(context: "dev", kubeconfig: nil, namespace: "monitoring")
    let samples = [
      "Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused",
      "error: context was not found for specified context: nope",
      "The connection to the server localhost:8080 was refused - did you specify the right host or port?",
      "Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)",
      "error: You must be logged in to the server (Unauthorized)",
      "Error from server (Forbidden): pods is forbidden: User \"x\" cannot list resource \"pods\"",
      "Error from server (NotFound): namespaces \"x\" not found",
      "Error from server (InternalError): an error on the server (\"boom\") has prevented the request",
      "something else entirely",
    ]
    var errors = samples.map { KubeError.classify(standardError: $0, target: target, what: "reading") }
    errors.append(KubeError.kubectlMissing("kubectl"))
    var problems: [String] = []
    for error in errors {
      problems += Self.problems(
        in: error.hint, printedBy: ["deploy", "health", "bundle", "version", "config"], tree: tree)
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  @Test func deployErrorHints() throws {
    let tree = try Self.commandTree()
    let errors: [DeployError] = [
      .noSkaffoldFile(searched: ["a"]), .unreadableSkaffold(path: "p", reason: "r"),
      .unknownProfile("x", available: ["a"]), .noTool(skaffold: "s", helm: "h"),
      .toolMissing(name: "helm", setting: "helm"), .protectedContext(context: "prod", pattern: "*prod*"),
      .confirmationDeclined(context: "prod"), .dirtyTree(root: "/r"),
      .stepFailed(command: "helm", exitCode: 1, lastLines: []),
    ]
    var problems: [String] = []
    for error in errors {
      problems += Self.problems(in: error.errorHint, printedBy: ["deploy"], tree: tree)
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// Every `mtobs …` written anywhere in the sources (hints built at run time, help texts, error
  /// messages), comments aside.
  @Test func everyMtobsCommandLineInTheSources() throws {
    let tree = try Self.commandTree()
    var problems: [String] = []
    for folder in ["Sources/MtobsCore", "Sources/MtobsCLI", "Sources/Plugins"] {
      let root = CLI.packageRoot.appendingPathComponent(folder)
      let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
      for file in files where file.hasSuffix(".swift") {
        let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        for line in text.split(separator: "\n") {
          let trimmed = line.trimmingCharacters(in: .whitespaces)
          guard !trimmed.hasPrefix("//"),
            let range = trimmed.range(of: #"(^|[`'"]|\s)mtobs [a-z-]+"#, options: .regularExpression)
          else { continue }
          let mention = String(trimmed[range.lowerBound...])
          // Prose ("mtobs needs get/list") is not a command line: only names that look like one.
          let word = mention.split(separator: " ").dropFirst().first.map(String.init) ?? ""
          guard mention.contains("mtobs \(word)"), Self.looksLikeCommand(word, line: trimmed) else { continue }
          problems += Self.problems(in: mention, printedBy: [], tree: tree).map { "\(folder)/\(file): \($0)" }
        }
      }
    }
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// "mtobs logs collector" is a command line; "mtobs could not run" is prose.
  static func looksLikeCommand(_ word: String, line: String) -> Bool {
    let prose: Set<String> = [
      "could", "needs", "does", "reads", "is", "was", "will", "and", "or", "with", "itself", "owns", "records",
      "writes", "runs", "keeps", "sees", "knows", "has", "can", "cannot", "never", "only", "asks", "builds", "with",
      "at", "to", "from", "for", "in", "on", "of", "the", "a",
    ]
    return !prose.contains(word)
  }
}

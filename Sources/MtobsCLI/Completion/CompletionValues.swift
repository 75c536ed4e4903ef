import ArgumentParser
import Foundation
import Git
import MtobsCore
import Plugins

/// The values TAB offers for options and arguments whose candidates are only known at run time.
/// Each source is quick, bounded and silent: a failure offers nothing rather than an error.
enum CompletionValues {
  /// One candidate and what zsh and fish show beside it.
  struct Candidate: Equatable {
    var value: String
    var description: String?
  }

  // MARK: - Kinds for the option and argument definitions

  /// Stack components by role (`logs`, `forward`).
  static let components = CompletionKind.custom { _, _, _ in
    formatted(ComponentRole.allCases.map { Candidate(value: $0.rawValue, description: $0.title) })
  }

  /// What `forward` can forward.
  static let forwardTargets = CompletionKind.custom { _, _, _ in
    formatted(
      ForwardTargets.names.map { name in Candidate(value: name, description: ComponentRole(rawValue: name)?.title) })
  }

  /// The profiles of the skaffold.yaml `deploy` would use.
  static let profiles = CompletionKind.custom { _, _, _ in formatted(skaffoldProfiles().map { Candidate(value: $0) }) }

  /// Context names from the kubeconfig file(s), read directly (no kubectl, no cluster).
  static let contexts = CompletionKind.custom { words, _, _ in
    let environment = ProcessInfo.processInfo.environment
    let kubeconfig = optionValue(["--kubeconfig"], in: words)
    return formatted(
      KubeconfigContexts.names(kubeconfig: kubeconfig, environment: environment).map { Candidate(value: $0) })
  }

  /// Namespaces of the cluster, through one kubectl call with a short time limit.
  static let namespaces = CompletionKind.custom { words, _, _ in
    formatted(clusterNamespaces(words: words).map { Candidate(value: $0) })
  }

  /// The check ids of a suite (`--skip`); a glob such as `collector.*` is offered per category.
  static func checkIDs<Input>(of suite: CheckSuite<Input>) -> CompletionKind {
    let candidates =
      suite.checks.map { Candidate(value: $0.id, description: $0.title) }
      + suite.categories.map { Candidate(value: $0 + ".*", description: "every \($0) check") }
    return .custom { _, _, _ in formatted(candidates) }
  }

  /// The categories of a suite (`--category`).
  static func categories<Input>(of suite: CheckSuite<Input>) -> CompletionKind {
    let candidates = suite.categories.map { category in
      Candidate(value: category, description: "\(suite.checks.filter { $0.category == category }.count) checks")
    }
    return .custom { _, _, _ in formatted(candidates) }
  }

  // MARK: - Sources

  static func skaffoldProfiles() -> [String] {
    let root = GitRepository.root(containing: FileManager.default.currentDirectoryPath)
    guard let executable = PluginLaunch.currentExecutable(),
      let path = try? DeployAssets.locate(repositoryRoot: root, executablePath: executable),
      let project = try? SkaffoldProject.load(path: path)
    else { return [] }
    return project.profileNames
  }

  /// How long TAB may wait for the cluster's namespaces before offering nothing.
  static let namespaceTimeLimit: Duration = .milliseconds(1500)

  static func clusterNamespaces(words: [String]) -> [String] {
    let environment = ProcessInfo.processInfo.environment
    guard
      let kubectl = ExecutableLocator(environment: environment).locate(environment["MTOBS_KUBECTL"] ?? "kubectl")
    else { return [] }
    var arguments = ["get", "namespaces", "-o", "name", "--request-timeout=1s"]
    if let context = optionValue(["--context"], in: words) { arguments.append("--context=" + context) }
    if let kubeconfig = optionValue(["--kubeconfig"], in: words) { arguments.append("--kubeconfig=" + kubeconfig) }
    guard let output = BoundedCommand.output(of: kubectl, arguments, timeLimit: namespaceTimeLimit) else { return [] }
    return output.split(separator: "\n").compactMap { line in
      line.hasPrefix("namespace/") ? String(line.dropFirst("namespace/".count)) : nil
    }
  }

  /// The value of the last `--name VALUE` or `--name=VALUE` among the typed words (unquoted as the
  /// shells pass them verbatim).
  static func optionValue(_ names: [String], in words: [String]) -> String? {
    var value: String?
    for (index, word) in words.enumerated() {
      for name in names {
        if word == name, index + 1 < words.count {
          value = words[index + 1]
        } else if word.hasPrefix(name + "=") {
          value = String(word.dropFirst(name.count + 1))
        }
      }
    }
    return value.map(unquoted).flatMap { $0.isEmpty ? nil : $0 }
  }

  static func unquoted(_ word: String) -> String {
    if word.count >= 2, let first = word.first, first == "'" || first == "\"", word.last == first {
      return String(word.dropFirst().dropLast())
    }
    return word
  }

  // MARK: - Output for the requesting shell

  /// Candidates as the requesting shell reads them: `value:description` for zsh's `_describe`
  /// (colons in the value escaped), `value<TAB>description` for fish, the bare value for bash.
  static func formatted(_ candidates: [Candidate], shell: CompletionShell? = CompletionShell.requesting) -> [String] {
    candidates.map { candidate in
      let description = candidate.description.flatMap { $0.isEmpty ? nil : $0 }
      if shell == .zsh {
        let value = candidate.value.replacingOccurrences(of: ":", with: "\\:")
        return description.map { value + ":" + $0 } ?? value
      }
      if shell == .fish, let description { return candidate.value + "\t" + description }
      return candidate.value
    }
  }
}

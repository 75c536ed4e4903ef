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

  /// The component words `logs` reads, from the list its help and the README print.
  static let components = CompletionKind.custom { _, _, _ in
    formatted(
      LogSelection.componentNames.map { name in
        Candidate(value: name, description: LogSelection.role(named: name)?.title ?? "every pod of the namespace")
      })
  }

  /// What `forward` can forward.
  static let forwardTargets = CompletionKind.custom { _, _, _ in
    formatted(
      ForwardTargets.names.map { name in Candidate(value: name, description: ComponentRole(rawValue: name)?.title) })
  }

  /// The profiles of the skaffold.yaml `deploy` would use.
  static let profiles = CompletionKind.custom { _, _, _ in
    formatted(skaffoldProfiles().map { Candidate(value: $0) }, fishFallback: "skaffold profile")
  }

  /// Context names from the kubeconfig file(s), read directly (no kubectl, no cluster).
  static let contexts = CompletionKind.custom { words, _, _ in
    let environment = ProcessInfo.processInfo.environment
    let kubeconfig = target(words: words)?.kubeconfig ?? optionValue(["--kubeconfig"], in: words)
    return formatted(
      KubeconfigContexts.names(kubeconfig: kubeconfig, environment: environment).map { Candidate(value: $0) },
      fishFallback: "kubeconfig context")
  }

  /// Namespaces of the cluster, through one kubectl call with a short time limit.
  static let namespaces = CompletionKind.custom { words, _, _ in
    formatted(clusterNamespaces(words: words).map { Candidate(value: $0) }, fishFallback: "namespace")
  }

  /// The check ids of a suite (`--skip`), and per category a glob that matches exactly its checks
  /// (`collector.*` in health, `dapr.probe-*` in debug-dapr, whose ids all start `dapr.`).
  static func checkIDs<Input>(of suite: CheckSuite<Input>) -> CompletionKind {
    let candidates =
      suite.checks.map { Candidate(value: $0.id, description: $0.title) }
      + suite.categories.compactMap { category in
        categoryGlob(category, ids: suite.checks.map { ($0.id, $0.category) }).map {
          Candidate(value: $0, description: "every \(category) check")
        }
      }
    return .custom { _, _, _ in formatted(candidates) }
  }

  /// The common start of a category's ids plus `*`, when it matches that category's ids and no
  /// other (a glob that also skipped other checks, or none, would mislead).
  static func categoryGlob(_ category: String, ids: [(id: String, category: String)]) -> String? {
    let own = ids.filter { $0.category == category }.map(\.id)
    guard own.count > 1, var prefix = own.first else { return nil }
    for id in own.dropFirst() {
      prefix = String(zip(prefix, id).prefix { $0 == $1 }.map(\.0))
    }
    guard !prefix.isEmpty else { return nil }
    let glob = prefix + "*"
    let matched = ids.filter { fnmatch(glob, $0.id, 0) == 0 }
    return matched.allSatisfy({ $0.category == category }) && matched.count == own.count ? glob : nil
  }

  /// The categories of a suite (`--category`).
  static func categories<Input>(of suite: CheckSuite<Input>) -> CompletionKind {
    let candidates = suite.categories.map { category in
      let count = suite.checks.filter { $0.category == category }.count
      return Candidate(value: category, description: count == 1 ? "1 check" : "\(count) checks")
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
    // The cluster the command would target: --context, MTOBS_CONTEXT, the configuration files.
    guard let target = target(words: words) else { return [] }
    var arguments = ["get", "namespaces", "-o", "name", "--request-timeout=1s"]
    if let context = target.context { arguments.append("--context=" + context) }
    if let kubeconfig = target.kubeconfig { arguments.append("--kubeconfig=" + kubeconfig) }
    guard let output = BoundedCommand.output(of: kubectl, arguments, timeLimit: namespaceTimeLimit) else { return [] }
    return output.split(separator: "\n").compactMap { line in
      line.hasPrefix("namespace/") ? String(line.dropFirst("namespace/".count)) : nil
    }
  }

  /// The kubeconfig and context the typed global options select, resolved as the command
  /// resolves them; nil when they or the configuration cannot be read.
  static func target(words: [String]) -> (kubeconfig: String?, context: String?)? {
    guard let global = try? GlobalOptions.parse(globalWords(in: words)),
      let target = try? PluginDispatch.target(global: global, environment: ProcessInfo.processInfo.environment)
    else { return nil }
    return (target.kubeconfig, target.context)
  }

  /// The global options (with their values) among the typed words, the command name, the word
  /// being completed and everything else left out.
  static func globalWords(in words: [String]) -> [String] {
    let typed = Array(words.dropFirst().dropLast())
    var kept: [String] = []
    var index = 0
    while index < typed.count {
      let word = typed[index]
      let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
      if let option = CompletionScripts.globalOptions.first(where: { $0.spellings.contains(name) }) {
        if !option.takesValue || word.contains("=") {
          kept.append(unquotedAssignment(word))
        } else if index + 1 < typed.count {
          kept += [word, unquoted(typed[index + 1])]
          index += 1
        }
      }
      index += 1
    }
    return kept
  }

  /// `--name='value'` as the parser reads it once the shell has removed the quotes.
  static func unquotedAssignment(_ word: String) -> String {
    guard let equals = word.firstIndex(of: "=") else { return word }
    return String(word[...equals]) + unquoted(String(word[word.index(after: equals)...]))
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
  /// fish shows the option's own help beside a value without a description, so such values get
  /// `fishFallback` there (what the value is) instead.
  static func formatted(
    _ candidates: [Candidate], fishFallback: String? = nil,
    shell: CompletionShell? = CompletionShell.requesting
  ) -> [String] {
    candidates.map { candidate in
      var description = candidate.description.flatMap { $0.isEmpty ? nil : $0 }
      if shell == .fish, description == nil { description = fishFallback }
      if shell == .zsh {
        let value = candidate.value.replacingOccurrences(of: ":", with: "\\:")
        return description.map { value + ":" + $0 } ?? value
      }
      if shell == .fish, let description { return candidate.value + "\t" + description }
      return candidate.value
    }
  }
}

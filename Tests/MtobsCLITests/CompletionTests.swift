import Foundation
import TestSupport
import Testing

/// The shipped completion scripts are what `mtobs completion SHELL` prints, and they complete in
/// the real shells: bash through its registered `complete` function with bash-completion loaded,
/// zsh under a pseudo-terminal, fish through `complete -C`.
@Suite("Shell completion")
struct CompletionTests {
  let home: TemporaryDirectory
  let cli: CLI
  /// A git repository with its own skaffold.yaml: the completions run here.
  let repository: URL

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
    repository = home.url.appendingPathComponent("repo")
    _ = try home.write(
      """
      apiVersion: skaffold/v4beta14
      kind: Config
      profiles:
        - name: alpha
        - name: beta
      """, to: "repo/skaffold.yaml")
    try git(["init", "-q"], in: repository)
    _ = try home.write(
      """
      apiVersion: v1
      kind: Config
      current-context: dev
      clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
      users: [{name: u, user: {}}]
      contexts:
        - name: dev
          context: {cluster: c, user: u}
        - name: prod-eu
          context: {cluster: c, user: u}
      """, to: ".kube/config")
    try home.writePlugin("hello", in: "plugins", script: PluginScript.text(summary: "Say hello.", body: "echo hello"))
    // A plugin that declares a completion command: it offers --colour, --count and a word.
    try home.writePlugin(
      "greet", in: "plugins",
      script: PluginScript.text(
        body: """
          if [ "$1" = "__complete" ]; then
            printf -- '--colour\\tpick a colour\\n--count\\nworld\\n'
            exit 0
          fi
          echo greeting
          """))
    _ = try home.write("summary: Greet someone.\ncompletion: __complete\n", to: "plugins/mtobs-greet.yaml")
    // Another kubeconfig, named with `--kubeconfig=other.yaml`.
    _ = try home.write("contexts: [{name: other-a}, {name: other-b}]\n", to: "repo/other.yaml")
  }

  @Test(arguments: [("bash", "mtobs.bash"), ("zsh", "_mtobs"), ("fish", "mtobs.fish")])
  func shippedScriptsMatchTheBinary(shell: String, file: String) throws {
    let printed = try cli.run(["completion", shell])
    #expect(printed.status == 0)
    let shipped = try String(contentsOf: CLI.packageRoot.appendingPathComponent("completions/\(file)"), encoding: .utf8)
    #expect(printed.standardOutput == shipped, "completions/\(file) is stale: run scripts/generate-docs")
  }

  /// What the shells run: the built mtobs first on PATH, the fixture's kubeconfig and plugins.
  private var environment: [String: String] {
    [
      "PATH": CLI.binDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      "HOME": home.url.path,
      "KUBECONFIG": home.url.appendingPathComponent(".kube/config").path,
      "MTOBS_PLUGIN_PATH": home.url.appendingPathComponent("plugins").path,
      "XDG_DATA_HOME": home.url.appendingPathComponent(".local/share").path,
      "XDG_CONFIG_HOME": home.url.appendingPathComponent(".config").path,
      "LANG": "C.UTF-8",
    ]
  }

  /// One TAB: the command line before the cursor and exactly the candidates the shell must offer
  /// (so anything that does not match is absent).
  struct Case: Sendable {
    var name: String
    var line: String
    var expected: Set<String>
  }

  static let cases: [Case] = [
    Case(name: "commands", line: "mtobs he", expected: ["health", "help", "hello"]),
    Case(name: "plugins", line: "mtobs gr", expected: ["grafana", "greet"]),
    Case(name: "global-before", line: "mtobs --con", expected: ["--context", "--config"]),
    Case(name: "global-after", line: "mtobs health --con", expected: ["--context", "--config"]),
    Case(name: "command-after-globals", line: "mtobs --context dev -n obs hea", expected: ["health"]),
    Case(name: "context-before", line: "mtobs --context ", expected: ["dev", "prod-eu"]),
    Case(name: "context-after", line: "mtobs health --context p", expected: ["prod-eu"]),
    Case(name: "output", line: "mtobs health -o ", expected: ["table", "json", "short"]),
    Case(name: "components", line: "mtobs logs lo", expected: ["loki"]),
    Case(name: "forward", line: "mtobs forward gr", expected: ["grafana"]),
    Case(name: "profiles", line: "mtobs deploy -p ", expected: ["alpha", "beta"]),
    Case(
      name: "skip", line: "mtobs health --skip collector.r",
      expected: ["collector.ready", "collector.receivers", "collector.rbac"]),
    Case(name: "category", line: "mtobs health --category co", expected: ["collector"]),
    Case(name: "plugin-arguments", line: "mtobs greet --co", expected: ["--colour", "--count"]),
    Case(name: "after-plugin", line: "mtobs hello ", expected: []),
    Case(name: "help", line: "mtobs help gr", expected: ["grafana", "greet"]),
    // `--option=value` (bash splits such a word at '=' before completion sees it).
    Case(name: "equals-before-command", line: "mtobs --context=dev health -o ", expected: ["table", "json", "short"]),
    Case(name: "equals-value", line: "mtobs --context=pr", expected: ["prod-eu"]),
    Case(name: "equals-after", line: "mtobs health --output=json --ca", expected: ["--category"]),
    Case(
      name: "equals-kubeconfig", line: "mtobs --kubeconfig=other.yaml --context ", expected: ["other-a", "other-b"]),
  ]

  /// Each case's section of a shell run's output, as a set of candidate words.
  func check(_ result: CLI.Result, shell: String, word: (String) -> String = { $0 }) {
    #expect(result.status == 0, "\(shell): \(result)")
    for testCase in Self.cases {
      // fish offers `--option=value` whole where bash and zsh offer the value after '='.
      let assigned = testCase.line.split(separator: " ").last.flatMap { word in
        word.hasPrefix("--") && word.contains("=") ? word[...word.firstIndex(of: "=")!] : nil
      }
      let offered = Set(
        Self.candidates(in: result.standardOutput, section: testCase.name).map(word).map { candidate in
          guard let assigned, candidate.hasPrefix(assigned) else { return candidate }
          return String(candidate.dropFirst(assigned.count))
        })
      #expect(offered == testCase.expected, "\(shell) '\(testCase.line)': \(offered.sorted())")
    }
  }

  @Test(
    .enabled(
      "bash-completion is not installed (/usr/share/bash-completion/bash_completion); scripts/install-deps --test"
    ) {
      FileManager.default.fileExists(atPath: "/usr/share/bash-completion/bash_completion")
    }, requires("bash"))
  func bash() throws {
    let script = CLI.packageRoot.appendingPathComponent("completions/mtobs.bash").path
    var program = """
      source /usr/share/bash-completion/bash_completion
      source '\(script)'
      # The function bash itself would call for mtobs.
      function=$(complete -p mtobs | sed -E 's/.* -F ([^ ]+) .*/\\1/')
      tab() {
          COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
          local -a spaced
          read -r -a spaced <<< "$COMP_LINE"
          # As readline splits them: at spaces, and at the '=' of COMP_WORDBREAKS, which is a
          # word of its own (`--context=dev` is `--context`, `=`, `dev`).
          COMP_WORDS=()
          local word
          for word in "${spaced[@]}"; do
              while [[ $word == *=* ]]; do
                  [[ -n ${word%%=*} ]] && COMP_WORDS+=("${word%%=*}")
                  COMP_WORDS+=('=')
                  word=${word#*=}
              done
              [[ -n $word ]] && COMP_WORDS+=("$word")
          done
          [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
          COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
          COMPREPLY=()
          # The word readline completes: what follows the last break character.
          local current=${COMP_WORDS[COMP_CWORD]}
          [[ $current == = ]] && current=
          "$function" mtobs "$current" "${COMP_WORDS[COMP_CWORD-1]}"
          echo "--- $1"
          printf '%s\\n' "${COMPREPLY[@]}"
      }

      """
    for testCase in Self.cases { program += "tab '\(testCase.name)' '\(testCase.line)'\n" }
    let result = try CLI.run(
      executable: which("bash")!, ["--norc", "--noprofile", "-c", program], environment: environment, in: repository)
    check(result, shell: "bash")
  }

  @Test(requires("fish")) func fish() throws {
    let script = CLI.packageRoot.appendingPathComponent("completions/mtobs.fish").path
    var program = "source '\(script)'\n"
    for testCase in Self.cases { program += "echo '--- \(testCase.name)'; complete -C '\(testCase.line)'\n" }
    let result = try CLI.run(
      executable: which("fish")!, ["--no-config", "-c", program], environment: environment, in: repository)
    // fish prints "candidate<TAB>description".
    check(result, shell: "fish") { String($0.split(separator: "\t")[0]) }
  }

  /// zsh completes only inside its line editor: an interactive zsh under zpty gets each line and a
  /// TAB; `compadd` is wrapped to record the candidates it is given (matched against the prefix,
  /// as zsh would show them) in one file per case.
  @Test(requires("zsh")) func zsh() throws {
    let completionDirectory = CLI.packageRoot.appendingPathComponent("completions").path
    let output = home.url.appendingPathComponent("zsh-candidates").path
    try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    _ = try home.write(
      """
      compadd() {
          # Internal calls that only ask for matches go to the real compadd.
          if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return; fi
          local -a hits apre hpre
          builtin compadd -A hits "$@"
          (( ${#hits} )) || return 1
          # The prefixes compadd would put before each match (-P, -p): part of the word offered.
          zparseopts -E P:=apre p:=hpre
          local hit
          for hit in $hits; do print -r -- "${apre[2]}${hpre[2]}$hit" >> "$CANDIDATES"; done
      }
      zstyle ':completion:*' list-prompt ''
      zstyle ':completion:*' select-prompt ''
      # TAB completes, then says so on the screen: the test waits for that before typing on (zsh
      # may cut a completion short while more input is pending).
      complete-and-say() { zle complete-word; zle -M "TAB-DONE-$CASE" }
      zle -N complete-and-say
      bindkey '^I' complete-and-say
      """, to: "capture.zsh")
    var program = """
      zmodload zsh/zpty || exit 3
      zpty -b z zsh -f -i
      zpty -w z "fpath=('\(completionDirectory)' \\$fpath); autoload -U compinit; compinit -u -D"
      zpty -w z "source '\(home.url.appendingPathComponent("capture.zsh").path)'"
      zpty -w z "PS1='READY> '"
      zpty -r z out '*READY> ' || exit 4

      """
    for (index, testCase) in Self.cases.enumerated() {
      program += """
        zpty -w z "CANDIDATES='\(output)/\(index)'; CASE=\(index + 1000); : > \\$CANDIDATES"
        zpty -w -n z '\(testCase.line)'$'\\t'
        zpty -r z out '*TAB-DONE-\(index + 1000)*' || exit 5
        zpty -w -n z $'\\C-u'

        """
    }
    program += "zpty -d z\n"
    for (index, testCase) in Self.cases.enumerated() {
      program += "print -r -- '--- \(testCase.name)'; cat '\(output)/\(index)'\n"
    }
    let result = try CLI.run(
      executable: which("zsh")!, ["-f", "-c", program], environment: environment, in: repository,
      timeout: .seconds(60))
    check(result, shell: "zsh")
  }

  /// The non-empty lines of one `--- NAME` section of a completion run's output.
  static func candidates(in output: String, section: String) -> [String] {
    let sections = output.components(separatedBy: "--- ")
    guard let body = sections.first(where: { $0.hasPrefix(section + "\n") }) else { return [] }
    return body.split(separator: "\n").dropFirst().map(String.init).filter { !$0.isEmpty }
  }
}

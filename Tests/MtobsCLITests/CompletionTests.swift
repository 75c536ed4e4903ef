import Foundation
import Testing

/// The shipped completion scripts are what `mtobs completion SHELL` prints, and they complete
/// in the real shells.
@Suite("Shell completion")
struct CompletionTests {
  let home: TemporaryDirectory
  let cli: CLI

  init() throws {
    home = try TemporaryDirectory()
    cli = CLI(home: home.url)
  }

  @Test(arguments: [("bash", "mtobs.bash"), ("zsh", "_mtobs"), ("fish", "mtobs.fish")])
  func shippedScriptsMatchTheBinary(shell: String, file: String) throws {
    let printed = try cli.run(["completion", shell])
    #expect(printed.status == 0)
    let shipped = try String(contentsOf: CLI.packageRoot.appendingPathComponent("completions/\(file)"), encoding: .utf8)
    #expect(printed.standardOutput == shipped, "completions/\(file) is stale: run scripts/generate-docs")
  }

  /// Path to a folder holding an `mtobs` the shells can call back into (completion scripts run `mtobs`).
  private var environment: [String: String] {
    [
      "PATH": CLI.binDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
      "HOME": home.url.path,
    ]
  }

  @Test(requires("bash")) func bashCompletesSubcommandsAndOptions() throws {
    let script = CLI.packageRoot.appendingPathComponent("completions/mtobs.bash").path
    let program = """
      source '\(script)'
      complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _mtobs "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; printf '%s\\n' "${COMPREPLY[@]}"; }
      echo '--- subcommands'; complete_words mtobs vers
      echo '--- options'; complete_words mtobs version --cl
      echo '--- shells'; complete_words mtobs completion ''
      """
    let result = try CLI.run(
      executable: which("bash")!, ["--norc", "--noprofile", "-c", program], environment: environment, in: home.url)
    #expect(result.status == 0, "\(result)")
    // Exactly the matching candidates: what does not match the typed prefix is absent.
    #expect(Self.candidates(in: result.standardOutput, section: "subcommands") == ["version"], "\(result)")
    #expect(Self.candidates(in: result.standardOutput, section: "options") == ["--client"], "\(result)")
    #expect(
      Self.candidates(in: result.standardOutput, section: "shells").sorted() == ["bash", "fish", "zsh"], "\(result)")
  }

  @Test(requires("fish")) func fishCompletesSubcommandsAndOptions() throws {
    let script = CLI.packageRoot.appendingPathComponent("completions/mtobs.fish").path
    let program =
      "source '\(script)'; echo '--- subcommands'; complete -C 'mtobs vers'; echo '--- options'; complete -C 'mtobs version --cl'"
    let result = try CLI.run(
      executable: which("fish")!, ["--no-config", "-c", program], environment: environment, in: home.url)
    #expect(result.status == 0, "\(result)")
    // fish prints "candidate<TAB>description"; only the matching ones.
    let words = { (section: String) in
      Self.candidates(in: result.standardOutput, section: section).map { String($0.split(separator: "\t")[0]) }
    }
    #expect(words("subcommands") == ["version"], "\(result)")
    #expect(words("options") == ["--client"], "\(result)")
  }

  /// The non-empty lines of one `--- NAME` section of a completion run's output.
  static func candidates(in output: String, section: String) -> [String] {
    let sections = output.components(separatedBy: "--- ")
    guard let body = sections.first(where: { $0.hasPrefix(section + "\n") }) else { return [] }
    return body.split(separator: "\n").dropFirst().map(String.init).filter { !$0.isEmpty }
  }

  /// zsh completion needs a live line editor to exercise; the zpty module gives it one.
  @Test(requires("zsh")) func zshCompletesSubcommands() throws {
    let completionDirectory = CLI.packageRoot.appendingPathComponent("completions").path
    let program = """
      zmodload zsh/zpty || exit 3
      zpty -b z zsh -f -i
      zpty -w z "fpath=('\(completionDirectory)' \\$fpath); autoload -U compinit; compinit -u -D"
      zpty -w z "PS1='READY> '"
      zpty -r z out '*READY> ' || exit 4
      zpty -w -n z $'mtobs vers\\t'
      # Read until the completed word is on the screen: zpty blocks on the pattern itself, and
      # the test's own 30 s limit ends it if it never comes.
      zpty -r z screen '*mtobs version *' || exit 5
      print -r -- "$screen"
      zpty -d z
      """
    let result = try CLI.run(
      executable: which("zsh")!, ["-f", "-c", program], environment: environment, in: home.url, timeout: .seconds(30))
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.contains("mtobs version "), "\(result)")
    // The other subcommands do not match "vers" (verify matches "ver") and are not offered.
    for other in ["mtobs deploy", "mtobs health", "mtobs verify", "mtobs bundle", "mtobs config"] {
      #expect(!result.standardOutput.contains(other), "\(other) offered for 'vers': \(result)")
    }
  }
}

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
      echo '--- subcommands'; complete_words mtobs ver
      echo '--- options'; complete_words mtobs version --cl
      echo '--- shells'; complete_words mtobs completion ''
      """
    let result = try CLI.run(
      executable: which("bash")!, ["--norc", "--noprofile", "-c", program], environment: environment, in: home.url)
    #expect(result.status == 0, "\(result)")
    let sections = result.standardOutput.components(separatedBy: "--- ")
    #expect(sections.first { $0.hasPrefix("subcommands") }?.contains("\nversion") == true, "\(result)")
    #expect(sections.first { $0.hasPrefix("options") }?.contains("--client") == true, "\(result)")
    let shells = sections.first { $0.hasPrefix("shells") } ?? ""
    #expect(shells.contains("bash") && shells.contains("zsh") && shells.contains("fish"), "\(result)")
  }

  @Test(requires("fish")) func fishCompletesSubcommandsAndOptions() throws {
    let script = CLI.packageRoot.appendingPathComponent("completions/mtobs.fish").path
    let program =
      "source '\(script)'; echo '--- subcommands'; complete -C 'mtobs ver'; echo '--- options'; complete -C 'mtobs version --cl'"
    let result = try CLI.run(
      executable: which("fish")!, ["--no-config", "-c", program], environment: environment, in: home.url)
    #expect(result.status == 0, "\(result)")
    let sections = result.standardOutput.components(separatedBy: "--- ")
    #expect(sections.first { $0.hasPrefix("subcommands") }?.contains("\nversion") == true, "\(result)")
    #expect(sections.first { $0.hasPrefix("options") }?.contains("--client") == true, "\(result)")
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
      zpty -w -n z $'mtobs ver\\t'
      sleep 2
      screen=''
      while zpty -r -t z chunk; do screen+=$chunk; done
      print -r -- "$screen"
      zpty -d z
      """
    let result = try CLI.run(
      executable: which("zsh")!, ["-f", "-c", program], environment: environment, in: home.url, timeout: .seconds(30))
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.contains("mtobs version"), "\(result)")
  }
}

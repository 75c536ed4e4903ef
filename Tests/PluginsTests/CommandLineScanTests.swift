import Testing

@testable import Plugins

@Suite struct CommandLineScanTests {
  /// A stand-in for the parser's answer: `--context`, `-n` and `--config` take a value, `-v` and
  /// `--dry-run` do not, anything else is not a global option.
  static let scan = CommandLineScan { words in
    var index = 0
    while index < words.count {
      let word = words[index]
      if ["--context", "-n", "--namespace", "--config", "--kubeconfig"].contains(word) {
        guard index + 1 < words.count else { return false }
        index += 2
      } else if ["-v", "--verbose", "--dry-run", "--no-color"].contains(word) || word.hasPrefix("--context=") {
        index += 1
      } else {
        return false
      }
    }
    return true
  }

  @Test func findsTheCommandAfterGlobalOptions() {
    #expect(Self.scan.commandName(in: ["health"])?.name == "health")
    #expect(Self.scan.commandName(in: ["--context", "dev", "-n", "obs", "logs", "-f"])?.name == "logs")
    #expect(Self.scan.commandName(in: ["--context", "dev", "-n", "obs", "logs", "-f"])?.index == 4)
    #expect(Self.scan.commandName(in: ["-v", "--dry-run", "deploy"])?.name == "deploy")
    #expect(Self.scan.commandName(in: ["--context=dev", "x"])?.name == "x")
    #expect(Self.scan.commandName(in: ["--help"]) == nil)
    #expect(Self.scan.commandName(in: []) == nil)
    // An unknown option before the name: no command, so the parser reports the option.
    #expect(Self.scan.commandName(in: ["--bogus", "x"]) == nil)
  }

  @Test func theCompletionProtocolIsNeverACommandName() {
    #expect(Self.scan.commandName(in: ["---completion", "--", "x"]) == nil)
    #expect(Self.scan.commandName(in: ["---completion", "health", "--", "--category"]) == nil)
    let arguments = ["---completion", "health", "--", "--category", ""]
    #expect(Self.scan.globalOptionsAfterCommand(arguments) == arguments)
  }

  @Test func movesGlobalOptionsAfterTheCommand() {
    #expect(
      Self.scan.globalOptionsAfterCommand(["--context", "dev", "version", "--client"])
        == ["version", "--client", "--context", "dev"])
    #expect(
      Self.scan.globalOptionsAfterCommand(["-v", "logs", "collector", "--", "x"])
        == ["logs", "collector", "-v", "--", "x"])
    #expect(Self.scan.globalOptionsAfterCommand(["version", "-v"]) == ["version", "-v"])
  }

  @Test func unknownCommandSuggests() {
    let dispatch = CommandDispatch(
      builtins: ["version", "config", "completion"],
      catalog: PluginCatalog(directories: [], builtins: [], trust: TrustStore()))
    #expect(
      dispatch.dispatch(name: "verison")
        == .unknown(message: "unknown command 'verison'", hint: "did you mean 'mtobs version'?"))
    #expect(
      dispatch.dispatch(name: "qqqq")
        == .unknown(
          message: "unknown command 'qqqq'",
          hint: "run 'mtobs --help' for the list of commands, 'mtobs plugin list' for plugins"))
  }
}

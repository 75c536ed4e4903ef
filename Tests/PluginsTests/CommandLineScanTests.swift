import Testing

@testable import Plugins

@Suite struct CommandLineScanTests {
  @Test func findsTheCommandAfterGlobalOptions() {
    #expect(CommandLineScan.commandName(in: ["health"])?.name == "health")
    #expect(CommandLineScan.commandName(in: ["--context", "dev", "-n", "obs", "logs", "-f"])?.name == "logs")
    #expect(CommandLineScan.commandName(in: ["-v", "--dry-run", "deploy"])?.name == "deploy")
    #expect(CommandLineScan.commandName(in: ["--context=dev", "x"])?.name == "x")
    #expect(CommandLineScan.commandName(in: ["--help"]) == nil)
    #expect(CommandLineScan.commandName(in: []) == nil)
  }

  @Test func movesGlobalOptionsAfterTheCommand() {
    #expect(
      CommandLineScan.globalOptionsAfterCommand(["--context", "dev", "version", "--client"])
        == ["version", "--client", "--context", "dev"])
    #expect(
      CommandLineScan.globalOptionsAfterCommand(["-v", "logs", "collector", "--", "x"])
        == ["logs", "collector", "-v", "--", "x"])
    #expect(CommandLineScan.globalOptionsAfterCommand(["version", "-v"]) == ["version", "-v"])
  }

  @Test func unknownCommandSuggests() {
    let dispatch = CommandDispatch(builtins: ["version", "config", "completion"])
    #expect(
      dispatch.dispatch(name: "verison", arguments: [])
        == .unknown(message: "unknown command 'verison'", hint: "did you mean 'mtobs version'?"))
    guard case .unknown(_, let hint) = dispatch.dispatch(name: "qqqq", arguments: []) else { return }
    #expect(hint == "run 'mtobs --help' for the list of commands")
  }
}

import MtobsCLI

/// The executable: everything it does lives in MtobsCLI, where tests can reach it.
@main
enum Main {
  static func main() async {
    await MtobsEntry.main(Array(CommandLine.arguments.dropFirst()))
  }
}

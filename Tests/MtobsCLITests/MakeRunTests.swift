import Foundation
import Testing

/// `make run ARGS="…"` hands ARGS to mtobs as the shell reads them, quotes included.
@Suite("make run")
struct MakeRunTests {
  @Test(
    .enabled("make or libgit2's pkg-config file is missing (make build would install packages)") {
      which("make") != nil && which("pkg-config") != nil
        && (try? CLI.run(
          executable: which("pkg-config")!, ["--exists", "libgit2"], environment: ["PATH": "/usr/bin:/bin"],
          in: CLI.packageRoot))?.status == 0
    })
  func argumentsWithQuotesReachMtobs() throws {
    let home = try TemporaryDirectory()
    // A stand-in for swift: building is done already; it names the folder of the built mtobs.
    let swift = try home.write(
      """
      #!/bin/sh
      for argument in "$@"; do
        [ "$argument" = --show-bin-path ] && { echo '\(CLI.binDirectory.path)'; exit 0; }
      done
      exit 0
      """, to: "swift", executable: true)
    let cli = CLI(home: home.url)
    let result = try CLI.run(
      executable: which("make")!,
      ["-s", "-C", CLI.packageRoot.path, "run", "SWIFT=" + swift.path, "ARGS=--context 'a b' config"],
      environment: cli.environment, in: home.url)
    #expect(result.status == 0, "\(result)")
    // The shell test of the old recipe broke on the quote: "[: …: unexpected operator".
    #expect(result.standardError.isEmpty, "\(result)")
    // The quoted word arrived whole, as the context's value.
    #expect(result.standardOutput.contains("a b"), "\(result)")
  }
}

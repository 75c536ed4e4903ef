import Foundation
import TestSupport
import Testing

/// `make run` without ARGS (scripts/first-run): a real `mtobs health` report on the shipped
/// example stack through the real kubectl, and the stand-in API server stopped afterwards.
@Suite("make run without ARGS")
struct FirstRunTests {
  @Test(requires("kubectl")) func reportsOnTheExampleStackAndStopsTheServer() throws {
    let home = try TemporaryDirectory()
    let pidFile = home.url.appendingPathComponent("standin.pid").path
    let result = try CLI.run(
      executable: CLI.packageRoot.appendingPathComponent("scripts/first-run").path, [CLI.binDirectory.path],
      environment: [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home.url.path,
        "FIRST_RUN_NO_BUILD": "1", "FIRST_RUN_PID_FILE": pidFile, "LANG": "C.UTF-8", "NO_COLOR": "1",
        // The user's own settings, which the example run must not read.
        "MTOBS_CONTEXT": "my-prod", "MTOBS_NAMESPACE": "elsewhere", "MTOBS_KUBECTL": "/nonexistent/kubectl",
      ],
      in: home.url, timeout: .seconds(120))
    // The healthy example stack: no check fails.
    #expect(result.status == 0, "\(result)")
    // Check titles of the report itself (not words of any usage text).
    #expect(result.standardOutput.contains("API server is reachable"), "\(result)")
    #expect(result.standardOutput.contains("collector pods are ready"), "\(result)")
    // The one check the stand-in cannot serve (a port-forward) is skipped as such, with no hint
    // that sends a newcomer to edit a configuration they do not have.
    let datasources = result.standardOutput.split(separator: "\n").filter { $0.contains("Grafana data sources") }
    #expect(datasources == ["– Grafana data sources work: skipped by --skip"], "\(result)")
    #expect(!result.standardOutput.contains("grafana.secret"), "\(result)")
    // The server the script started is gone (reaped by the script, so not even a zombie).
    let pid = try #require(
      Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    if ProcessTable.isReadable {
      #expect(ProcessTable.entry(pid) == nil, "the stand-in API server (pid \(pid)) outlived scripts/first-run")
    }
  }
}

import Foundation
import KubeStandIn
import Testing

/// The `kube-standin` program, found next to the test bundle (SwiftPM builds it with the tests).
enum StandInProgram {
  static var path: String? {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("kube-standin").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return nil
  }
}

@Suite(
  .enabled(if: Kubectl.isAvailable, Kubectl.missingReason),
  .enabled(
    if: StandInProgram.path != nil, "kube-standin was not built next to the tests (swift build --product kube-standin)"),
  .timeLimit(.minutes(1)))
struct ExecutableTests {
  @Test func servesAStateFileUntilSIGTERM() async throws {
    let program = try #require(StandInProgram.path)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("standin-exe-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let stateFile = directory + "/state.yaml"
    try """
    objects:
      - apiVersion: v1
        kind: Pod
        metadata: {name: web-0, namespace: shop, labels: {app: web}}
        status: {phase: Running, podIP: 10.1.0.7, conditions: [{type: Ready, status: "True"}]}
      - apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
    proxy:
      - {namespace: shop, name: web, port: 80, path: /healthz, body: ok, contentType: text/plain}
    behavior: {delayMs: 20}
    """.write(toFile: stateFile, atomically: true, encoding: .utf8)

    let server = try BackgroundProcess(
      executable: program,
      arguments: [
        "--state", stateFile, "--kubeconfig", directory + "/kubeconfig", "--context", "bench", "--namespace", "shop",
      ],
      environment: [:], directory: directory)
    defer { server.terminate() }
    #expect(await server.waitForOutput { $0.contains("listening on http://127.0.0.1:") }, "\(server.stderr)")
    let url = try #require(
      server.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
    #expect(try String(contentsOfFile: directory + "/kubeconfig", encoding: .utf8).contains(url))

    let kubectl = try BackgroundProcess(
      executable: try Kubectl.executable(),
      arguments: [
        "--kubeconfig", directory + "/kubeconfig", "--cache-dir", directory + "/cache", "get", "pods", "-o", "name",
      ],
      environment: ["HOME": directory + "/home"], directory: directory)
    #expect(await kubectl.wait(timeout: .seconds(30)) == 0, "\(kubectl.stderr)")
    #expect(kubectl.stdout == "pod/web-0\n")

    let raw = try BackgroundProcess(
      executable: try Kubectl.executable(),
      arguments: [
        "--kubeconfig", directory + "/kubeconfig", "--cache-dir", directory + "/cache", "get", "--raw",
        "/api/v1/namespaces/shop/services/web:80/proxy/healthz",
      ],
      environment: ["HOME": directory + "/home"], directory: directory)
    #expect(await raw.wait(timeout: .seconds(30)) == 0, "\(raw.stderr)")
    #expect(raw.stdout == "ok")

    server.terminate()
    #expect(await server.wait(timeout: .seconds(10)) == 0)
  }
}

import Foundation
import Testing

/// `mtobs deploy` with stand-in skaffold and helm that record their argv.
@Suite("deploy", requires("kubectl"))
struct DeployTests {
  @Test func dryRunPrintsTheSkaffoldCommandAndChangesNothing() throws {
    let fixture = try DeployFixture()
    let result = try fixture.cli().run(["deploy", "--dry-run"])
    #expect(result.status == 0, "\(result)")
    let root = fixture.root.resolvingSymlinksInPath().path
    #expect(
      result.standardOutput.contains(
        "\(fixture.bin.deletingLastPathComponent().path)/visible-bin/skaffold run --filename \(root)/skaffold.yaml --profile infra-observability --kube-context dev --namespace monitoring --status-check=true"
      ), "\(result)")
    #expect(
      result.standardError.contains(
        "to context 'dev' (cluster dev-cluster at http://127.0.0.1:1), namespace 'monitoring'"))
    #expect(fixture.recordedCommands.isEmpty)
  }

  @Test func dryRunWithHelmPrintsOneUpgradePerReleaseThenTheManifests() throws {
    let fixture = try DeployFixture()
    let result = try fixture.cli().run(["deploy", "--with", "helm", "-p", "all-infra", "--dry-run", "--timeout", "2m"])
    #expect(result.status == 0, "\(result)")
    let root = fixture.root.resolvingSymlinksInPath().path
    let lines = result.standardOutput.split(separator: "\n").map(String.init)
    #expect(lines.count == 5, "\(result)")
    #expect(
      lines[0].hasSuffix(
        "helm upgrade --install otel-collector opentelemetry-collector --repo https://open-telemetry.github.io/opentelemetry-helm-charts --version 0.170.0 --namespace monitoring --create-namespace --kube-context dev --values \(root)/values/otel-collector.yaml --wait --timeout 2m"
      ),
      "\(lines[0])")
    #expect(
      lines[1].contains(
        "helm upgrade --install pyroscope pyroscope --repo https://grafana.github.io/helm-charts --version 1.14.0"))
    #expect(
      lines[2].contains("kubectl --context dev apply --filename \(root)/manifests/service-aliases.yaml"), "\(lines[2])")
    #expect(lines[3].contains("apply --filename -") && lines[3].contains("Dapr Configuration"))
    #expect(lines[4].contains("record in ConfigMap mtobs-deployments"))
    #expect(fixture.recordedCommands.isEmpty)
  }

  @Test func unknownProfileListsTheRealOnes() throws {
    let fixture = try DeployFixture()
    let result = try fixture.cli().run(["deploy", "-p", "observability", "--dry-run"])
    #expect(result.status == 2)
    #expect(
      result.standardError.contains(
        "unknown profile 'observability'; the profiles are: infra-observability, all-infra"), "\(result)")
  }

  @Test func neitherSkaffoldNorHelm() throws {
    let fixture = try DeployFixture()
    let result = try fixture.cli(tools: []).run(["deploy", "--dry-run"])
    #expect(result.status == 2)
    #expect(result.standardError.contains("neither skaffold ('skaffold') nor helm ('helm') is installed"), "\(result)")
  }

  @Test func helmIsTheFallbackWithoutSkaffold() throws {
    let fixture = try DeployFixture()
    let result = try fixture.cli(tools: ["helm"]).run(["deploy", "--dry-run"])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.contains("helm upgrade --install otel-collector"))
    #expect(result.standardError.contains("with helm"))
  }

  @Test func withSkaffoldWhenItIsMissing() throws {
    let fixture = try DeployFixture()
    let result = try fixture.cli(tools: ["helm"]).run(["deploy", "--with", "skaffold", "--dry-run"])
    #expect(result.status == 2)
    #expect(result.standardError.contains("skaffold not found"), "\(result)")
  }

  @Test func noSkaffoldFileAnywhere() throws {
    let fixture = try DeployFixture()
    try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("skaffold.yaml"))
    var cli = try fixture.cli()
    // Outside the source tree, so the development copy of deploy/ is not found either.
    let elsewhere = try TemporaryDirectory()
    let binary = elsewhere.url.appendingPathComponent("mtobs")
    try FileManager.default.copyItem(atPath: CLI.mtobsPath, toPath: binary.path)
    let result = try CLI.run(
      executable: binary.path, ["deploy", "--dry-run"], environment: cli.environment, in: fixture.root)
    _ = cli
    cli.workingDirectory = fixture.root
    #expect(result.status == 2)
    #expect(result.standardError.contains("no skaffold.yaml found"), "\(result)")
  }

  @Test func protectedContextIsRefusedWithoutATerminal() throws {
    let fixture = try DeployFixture(context: "prod-eu")
    let result = try fixture.cli().run(["deploy"])
    #expect(result.status == 2)
    #expect(
      result.standardError.contains(
        "context 'prod-eu' is protected (matches '*prod*') and there is no terminal to confirm on"), "\(result)")
    #expect(result.standardError.contains("--yes"))
    #expect(fixture.recordedCommands.isEmpty)
  }

  @Test func protectedPatternsComeFromConfiguration() throws {
    let fixture = try DeployFixture(context: "live-1")
    _ = try fixture.directory.write("deploy:\n  protected-contexts: [\"live-*\"]\n", to: "repo/mtobs.yaml")
    let result = try fixture.cli().run(["deploy"])
    #expect(result.status == 2)
    #expect(result.standardError.contains("matches 'live-*'"), "\(result)")
  }
}

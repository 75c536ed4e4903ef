import Foundation
import Testing

@testable import MtobsCore

/// The shipped deploy assets and mtobs's built-in defaults describe the same Services, so a user
/// who deploys with mtobs can reach everything with no configuration.
@Suite("Shipped deploy assets")
struct DeployAssetsTests {
  static let deployDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("deploy")

  let defaults: Configuration

  init() throws {
    defaults = try Configuration.resolve(flags: [], environment: [:], files: [])
  }

  private func contract() throws -> DeployContract {
    try #require(DeployContract.load(path: Self.deployDirectory.appendingPathComponent("services.yaml").path))
  }

  @Test func servicesMatchTheDefaults() throws {
    let services = try contract().services
    let expected: [(String, ConfigKey, ConfigKey)] = [
      ("grafana", .grafanaService, .grafanaPort), ("pyroscope", .pyroscopeService, .pyroscopePort),
      ("loki", .lokiService, .lokiPort), ("tempo", .tempoService, .tempoPort), ("mimir", .mimirService, .mimirPort),
    ]
    for (component, nameKey, portKey) in expected {
      let service = try #require(services[component], "deploy/services.yaml has no \(component)")
      #expect(service.name == defaults.string(nameKey), "\(component) Service name")
      #expect(service.port == defaults.port(portKey), "\(component) port")
    }
    let collector = try #require(services["collector"])
    #expect(collector.name == defaults.string(.collectorService))
    #expect(collector.ports?["otlp-grpc"] == defaults.port(.collectorOTLPGRPCPort))
    #expect(collector.ports?["otlp-http"] == defaults.port(.collectorOTLPHTTPPort))
    #expect(collector.ports?["zipkin"] == defaults.port(.collectorZipkinPort))
    #expect(try contract().grafanaSecret == defaults.string(.grafanaSecret))
  }

  @Test func skaffoldHasTheSeedProfilesAndEveryReleaseIsInTheContract() throws {
    let project = try SkaffoldProject.load(path: Self.deployDirectory.appendingPathComponent("skaffold.yaml").path)
    #expect(project.profileNames.contains("infra-observability"))
    #expect(project.profileNames.contains("all-infra"))
    let contractReleases = Set((try contract().releases ?? []).map(\.name))
    for profile in project.profiles {
      for release in profile.releases {
        #expect(
          contractReleases.contains(release.name), "release \(release.name) of \(profile.name) is not in services.yaml")
        #expect(release.version != nil, "release \(release.name) must pin a chart version")
        for file in release.valuesFiles ?? [] {
          #expect(
            FileManager.default.fileExists(atPath: Self.deployDirectory.appendingPathComponent(file).path), "\(file)")
        }
      }
    }
  }

  @Test func daprConfigurationPointsAtTheCollectorsZipkinPath() throws {
    let text = try String(
      contentsOf: Self.deployDirectory.appendingPathComponent("manifests/dapr-configuration.yaml"), encoding: .utf8)
    let namespace = defaults.string(.namespace)!
    let host = "\(defaults.string(.collectorService)!).\(namespace).svc.cluster.local"
    #expect(text.contains("http://\(host):\(defaults.port(.collectorZipkinPort))/api/v2/spans"))
    #expect(text.contains("name: \(defaults.string(.daprConfiguration)!)"))
  }

  /// The upstream schema checker lives in the workspace's shared/ folder, beside a developer's
  /// checkout and CI's clone, but not beside a user's clone: there the test is skipped, saying so.
  static let validator = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/tools/validate-deploy")

  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: validator.path),
      "skipped: ../shared/tools/validate-deploy (the upstream schemas) is not beside this checkout"))
  func upstreamSchemasAcceptTheAssets() throws {
    let validator = Self.validator
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", validator.path, Self.deployDirectory.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "validate-deploy:\n\(text)")
  }
}

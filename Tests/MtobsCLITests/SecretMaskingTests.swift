import Foundation
import Testing

/// A credential that does reach a child's argv (a helm `--set` from a skaffold.yaml) is masked
/// in everything mtobs prints: `--dry-run` and `-v`.
@Suite("secret masking", requires("kubectl"), requires("git"))
struct SecretMaskingTests {
  static let password = "hunter2-very-secret"

  @Test func helmSetValuesThatAreCredentialsAreMaskedInDryRunAndVerbose() throws {
    let home = try TemporaryDirectory()
    var cli = CLI(home: home.url)
    let repository = home.url.appendingPathComponent("repo")
    _ = try home.write(
      """
      apiVersion: skaffold/v4beta14
      kind: Config
      metadata: {name: masking}
      deploy:
        helm:
          releases:
          - name: lgtm
            remoteChart: lgtm-distributed
            repo: https://grafana.github.io/helm-charts
            namespace: monitoring
            setValues:
              grafana.adminPassword: \(Self.password)
              grafana.replicas: "1"
      """, to: "repo/skaffold.yaml")
    try git(["init", "-q"], in: repository)
    let helm = try home.write("#!/bin/sh\nexit 0\n", to: "bin/helm", executable: true)
    let kubeconfig = try home.write(
      """
      apiVersion: v1
      kind: Config
      clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
      users: [{name: u, user: {token: t}}]
      contexts: [{name: dev, context: {cluster: c, user: u}}]
      current-context: dev
      """, to: "kubeconfig")
    cli.workingDirectory = repository
    let result = try cli.run(
      ["-v", "deploy", "--dry-run", "--with", "helm", "--no-wait", "--kubeconfig", kubeconfig.path],
      environment: ["MTOBS_HELM": helm.path])
    #expect(result.status == 0, "\(result)")
    #expect(result.standardOutput.contains("--set 'grafana.adminPassword=***'"), "\(result)")
    #expect(result.standardOutput.contains("--set grafana.replicas=1"), "not a credential: \(result)")
    #expect(!result.standardOutput.contains(Self.password), "\(result)")
    #expect(!result.standardError.contains(Self.password), "\(result)")
  }
}

import Foundation
import Testing

@testable import MtobsCore

/// The planned commands say where they deploy, and a protected context is protected in any case.
@Suite("Deploy planning and protection")
struct DeployPlannerTests {
  static let skaffold = """
    apiVersion: skaffold/v4beta14
    kind: Config
    deploy:
      helm:
        releases:
          - {name: lgtm, remoteChart: lgtm-distributed, namespace: monitoring}
          - {name: loose, remoteChart: loose}
    """

  static func planner(namespace: String, kubeconfig: String? = nil) throws -> DeployPlanner {
    let project = try SkaffoldProject.parse(Self.skaffold, path: "/repo/skaffold.yaml")
    return DeployPlanner(
      project: project, profile: project.base,
      target: KubeTarget(context: "dev", kubeconfig: kubeconfig, namespace: namespace), context: "dev", wait: false,
      timeout: .seconds(60))
  }

  @Test func skaffoldIsToldTheAnnouncedNamespaceAndContext() throws {
    let arguments = try Self.planner(namespace: "monitoring").skaffoldSteps(skaffold: "skaffold")[0].invocation
      .arguments
    let namespace = try #require(arguments.firstIndex(of: "--namespace"))
    #expect(arguments[namespace + 1] == "monitoring")
    let context = try #require(arguments.firstIndex(of: "--kube-context"))
    #expect(arguments[context + 1] == "dev")
  }

  @Test func helmDeploysEveryReleaseToTheAnnouncedNamespace() throws {
    let steps = try Self.planner(namespace: "monitoring").helmSteps(helm: "helm", kubectl: "kubectl")
    let namespaces = steps.map { step in
      step.invocation.arguments.firstIndex(of: "--namespace").map { step.invocation.arguments[$0 + 1] }
    }
    #expect(namespaces == ["monitoring", "monitoring"])
  }

  @Test func aNamespaceOtherThanTheReleasesIsRefused() throws {
    let mismatch = try #require(try Self.planner(namespace: "observability").namespaceMismatch)
    #expect(
      mismatch
        == .namespaceMismatch(
          requested: "observability", releases: ["lgtm": "monitoring"], source: "/repo/skaffold.yaml"))
    #expect(mismatch.message.contains("release lgtm to 'monitoring'"), "\(mismatch.message)")
    #expect(try Self.planner(namespace: "monitoring").namespaceMismatch == nil)
  }

  @Test func theInterruptHintNamesTheRealReleases() throws {
    let checks = try Self.planner(namespace: "monitoring", kubeconfig: "/k/config").statusCommands
    #expect(
      checks == [
        "helm status lgtm --namespace monitoring --kube-context dev --kubeconfig /k/config",
        "helm status loose --namespace monitoring --kube-context dev --kubeconfig /k/config",
      ])
    let hint = DeployError.interrupted(step: "helm release lgtm", checks: checks).hint
    #expect(hint.contains("`helm status lgtm --namespace monitoring"), "\(hint)")
    #expect(!hint.contains("<"), "no placeholder: \(hint)")
  }

  @Test func protectedPatternsIgnoreCase() {
    #expect(ContextGuard.protectingPattern(for: "Prod-EU", patterns: ["*prod*"]) == "*prod*")
    #expect(ContextGuard.protectingPattern(for: "prod-eu", patterns: ["*PROD*"]) == "*PROD*")
    #expect(ContextGuard.protectingPattern(for: "staging", patterns: ["*prod*"]) == nil)
  }

  @Test func aProtectedContextGoesAheadWithYesWithoutAsking() throws {
    try ContextGuard.confirm("prod-eu", patterns: ["*prod*"], yes: true, dryRun: false) { _ in
      Issue.record("--yes must not ask")
      return nil
    }
  }

  @Test func typingTheContextNameConfirms() throws {
    final class Prompts { var asked: [String] = [] }
    let prompts = Prompts()
    try ContextGuard.confirm("prod-eu", patterns: ["*prod*"], yes: false, dryRun: false) { prompt in
      prompts.asked.append(prompt)
      return "prod-eu  "
    }
    #expect(prompts.asked == ["Context 'prod-eu' is protected (*prod*). Type its name to deploy: "])
  }

  @Test func anythingElseTypedDeclines() {
    #expect(throws: DeployError.confirmationDeclined(context: "prod-eu")) {
      try ContextGuard.confirm("prod-eu", patterns: ["*prod*"], yes: false, dryRun: false) { _ in "prod" }
    }
    #expect(throws: DeployError.confirmationDeclined(context: "prod-eu")) {
      try ContextGuard.confirm("prod-eu", patterns: ["*prod*"], yes: false, dryRun: false) { _ in nil }
    }
  }

  @Test func withoutATerminalAProtectedContextIsRefused() {
    #expect(throws: DeployError.protectedContext(context: "Prod-EU", pattern: "*prod*")) {
      try ContextGuard.confirm("Prod-EU", patterns: ["*prod*"], yes: false, dryRun: false, confirm: nil)
    }
  }
}

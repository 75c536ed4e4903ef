import Foundation

/// The kube context and kubeconfig a run really uses, even when mtobs's own keys are unset:
/// then kubectl's rules decide (KUBECONFIG, ~/.kube/config, the current-context), and
/// `mtobs config` says so instead of "(unset)".
public struct EffectiveTarget: Sendable, Equatable {
  public var context: String?
  public var contextOrigin: String
  public var kubeconfig: String
  public var kubeconfigOrigin: String

  public init(context: String?, contextOrigin: String, kubeconfig: String, kubeconfigOrigin: String) {
    self.context = context
    self.contextOrigin = contextOrigin
    self.kubeconfig = kubeconfig
    self.kubeconfigOrigin = kubeconfigOrigin
  }

  /// The kubeconfig kubectl reads when mtobs names none (pure).
  public static func defaultKubeconfig(environment: [String: String]) -> (path: String, origin: String) {
    if let variable = environment["KUBECONFIG"], !variable.isEmpty { return (variable, "env KUBECONFIG") }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return ((home as NSString).appendingPathComponent(".kube/config"), "kubectl default")
  }

  /// Asks kubectl for the current context only when no flag, variable or file names one.
  public static func resolve(run: Run) async -> EffectiveTarget {
    let configuration = run.configuration
    let kubeconfigSetting = configuration.setting(.kubeconfig)
    let (kubeconfig, kubeconfigOrigin) =
      configuration.string(.kubeconfig).map { ($0, kubeconfigSetting.origin.description) }
      ?? defaultKubeconfig(environment: run.environment)
    if let named = configuration.string(.context) {
      return EffectiveTarget(
        context: named, contextOrigin: configuration.setting(.context).origin.description, kubeconfig: kubeconfig,
        kubeconfigOrigin: kubeconfigOrigin)
    }
    let current = try? await run.kube().clusterIdentity().context
    return EffectiveTarget(
      context: current,
      contextOrigin: current == nil ? "no current-context in the kubeconfig" : "current-context of the kubeconfig",
      kubeconfig: kubeconfig, kubeconfigOrigin: kubeconfigOrigin)
  }
}

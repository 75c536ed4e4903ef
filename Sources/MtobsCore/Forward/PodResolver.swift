/// Finds the pod behind a Service at every (re)connect, over the run's API transport.
struct PodResolver: Sendable {
  let kube: KubeClient
  let name: String
  let service: String
  let servicePort: Int

  /// A failure worth retrying (no ready pod yet, the API server slow), as a reason.
  struct Retryable: Error, Sendable { let reason: String }

  /// The pod to tunnel to; `ForwardError` when retrying cannot help, `Retryable` when it may.
  func choose(avoid: String?) async throws -> PodChoice {
    let namespace = kube.target.namespace
    let serviceObject: KubeObject
    let pods: [KubeObject]
    do {
      guard let found = try await kube.get(kind: "services", name: service, namespace: namespace) else {
        throw ForwardError.notFound(
          name: name, message: "no Service '\(service)' in namespace '\(namespace)'",
          hint: "check the namespace (-n) and `mtobs config`; the Service can be pinned in mtobs.yaml")
      }
      serviceObject = found
      guard let selector = PodChoice.selector(of: serviceObject) else {
        throw ForwardError.notFound(
          name: name, message: "Service '\(service)' selects no pods (it has no selector)",
          hint: "pin a Service that selects the component's pods in mtobs.yaml")
      }
      pods = try await kube.list(kinds: ["pods"], namespace: namespace, labelSelector: selector)
    } catch let error as KubeError {
      if [.unauthorized, .forbidden, .contextNotFound, .noConfiguration, .kubectlMissing].contains(error.reason) {
        throw ForwardError.refused(name: name, message: error.message, hint: error.hint)
      }
      throw Retryable(reason: error.message)
    }
    switch PodChoice.choose(service: serviceObject, pods: pods, servicePort: servicePort, avoid: avoid) {
    case .success(let choice): return choice
    case .failure(.noSelector(let service)):
      throw ForwardError.notFound(
        name: name, message: "Service '\(service)' selects no pods (it has no selector)",
        hint: "pin a Service that selects the component's pods in mtobs.yaml")
    case .failure(.noReadyPod(let service, let selected)):
      throw Retryable(
        reason: selected == 0
          ? "no pod behind Service '\(service)'" : "none of the \(selected) pods behind Service '\(service)' is ready")
    }
  }
}

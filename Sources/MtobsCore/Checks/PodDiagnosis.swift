/// What is wrong with one pod, read from its status (pure).
public struct PodDiagnosis: Sendable, Equatable {
  public enum Severity: Sendable, Equatable { case healthy, starting, warning, failing }

  public var pod: String
  public var container: String?
  /// The waiting reason (CrashLoopBackOff, ImagePullBackOff, Unschedulable…) or nil.
  public var reason: String?
  public var detail: String?
  public var restarts: Int
  public var ready: Bool
  public var severity: Severity
  /// False for states that do not heal by waiting (a crash loop, an image that cannot be pulled).
  public var recoverable: Bool

  /// Waiting reasons that need a change (image, config, code) before the pod can run.
  static let lastingReasons: Set<String> = [
    "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
    "CreateContainerError", "RunContainerError",
  ]
  /// Restarts above which a running pod is worth a warning.
  static let restartWarning = 3

  public init(_ pod: KubeObject) {
    self.pod = pod.name
    let status = pod.raw["status"]
    let containers = (status?["initContainerStatuses"]?.array ?? []) + (status?["containerStatuses"]?.array ?? [])
    restarts = containers.compactMap { $0["restartCount"]?.int }.reduce(0, +)
    ready = status?["conditions"]?.array?.contains { $0["type"]?.string == "Ready" && $0["status"]?.string == "True" } ?? false
    let waiting = containers.first { $0[path: "state", "waiting", "reason"]?.string != nil }
    container = waiting?["name"]?.string
    reason = waiting?[path: "state", "waiting", "reason"]?.string
    detail = waiting?[path: "state", "waiting", "message"]?.string
    recoverable = true
    let phase = status?["phase"]?.string ?? "Unknown"
    if let reason, Self.lastingReasons.contains(reason) {
      severity = .failing
      recoverable = false
    } else if phase == "Failed" {
      severity = .failing
      reason = reason ?? status?["reason"]?.string ?? "Failed"
    } else if phase == "Pending",
      let unscheduled = status?["conditions"]?.array?.first(where: {
        $0["type"]?.string == "PodScheduled" && $0["status"]?.string == "False"
      })
    {
      severity = .failing
      reason = unscheduled["reason"]?.string ?? "Unschedulable"
      detail = unscheduled["message"]?.string
    } else if phase == "Pending" || reason != nil {
      severity = .starting
      reason = reason ?? "Pending"
    } else if restarts >= Self.restartWarning {
      severity = .warning
    } else {
      severity = .healthy
    }
  }

  /// `pod (container): CrashLoopBackOff (7 restarts)`.
  public var summary: String {
    var text = pod
    if let container { text += " (\(container))" }
    if let reason { text += " \(reason)" } else if !ready { text += " not ready" }
    if restarts > 0 { text += " (\(restarts) restart\(restarts == 1 ? "" : "s"))" }
    return text
  }
}

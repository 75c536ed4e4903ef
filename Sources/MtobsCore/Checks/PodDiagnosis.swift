/// What is wrong with one pod, read from its status (pure).
public struct PodDiagnosis: Sendable, Equatable {
  public enum Severity: Sendable, Equatable { case healthy, starting, warning, failing }

  public var pod: String
  /// The container the reason belongs to, when one does.
  public var container: String?
  /// The waiting reason (CrashLoopBackOff, ImagePullBackOff, Unschedulable…) or nil.
  public var reason: String?
  public var detail: String?
  /// `exit 1: Error` of the container's last termination: why a crash loop crashes.
  public var lastExit: String?
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
  static let imageReasons: Set<String> = ["ImagePullBackOff", "ErrImagePull", "InvalidImageName"]
  /// Restarts above which a running pod is worth a warning.
  static let restartWarning = 3

  public init(_ pod: KubeObject) {
    self.pod = pod.name
    let status = pod.raw["status"]
    let containers = (status?["initContainerStatuses"]?.array ?? []) + (status?["containerStatuses"]?.array ?? [])
    let conditions = status?["conditions"]?.array ?? []
    restarts = containers.compactMap { $0["restartCount"]?.int }.reduce(0, +)
    ready = conditions.contains { $0["type"]?.string == "Ready" && $0["status"]?.string == "True" }
    let waiting = containers.first { $0[path: "state", "waiting", "reason"]?.string != nil }
    let crashed = waiting ?? containers.first { $0[path: "lastState", "terminated"] != nil }
    // The container the problem is in: the waiting one, else the first that is not ready.
    container = (waiting ?? (ready ? nil : containers.first { $0["ready"]?.bool == false }))?["name"]?.string
    reason = waiting?[path: "state", "waiting", "reason"]?.string
    detail = waiting?[path: "state", "waiting", "message"]?.string
    if let terminated = crashed?[path: "lastState", "terminated"] {
      let code = terminated["exitCode"]?.int.map { "exit \($0)" }
      lastExit = [code, terminated["reason"]?.string].compactMap { $0 }.joined(separator: ": ")
      if lastExit?.isEmpty == true { lastExit = nil }
    }
    recoverable = true
    let phase = status?["phase"]?.string ?? "Unknown"
    let unscheduled = conditions.first { $0["type"]?.string == "PodScheduled" && $0["status"]?.string == "False" }
    if let reason, Self.lastingReasons.contains(reason) {
      severity = .failing
      recoverable = false
    } else if phase == "Failed" {
      severity = .failing
      reason = reason ?? status?["reason"]?.string ?? "Failed"
    } else if phase == "Pending", let unscheduled {
      // Failing, but recoverable: a cluster autoscaler or a finished pod can make room.
      severity = .failing
      reason = unscheduled["reason"]?.string ?? "Unschedulable"
      detail = unscheduled["message"]?.string
    } else if phase == "Pending" || reason != nil {
      severity = .starting
      reason = reason ?? "Pending"
    } else if restarts >= Self.restartWarning {
      severity = .warning
      container = containers.max { ($0["restartCount"]?.int ?? 0) < ($1["restartCount"]?.int ?? 0) }?["name"]?.string
    } else {
      severity = .healthy
    }
  }

  /// `pod (container) CrashLoopBackOff (7 restarts, last exit 1: Error)`.
  public var summary: String {
    var text = pod
    if let container { text += " (\(container))" }
    if let reason { text += " \(reason)" } else if !ready { text += " not ready" }
    var counts: [String] = []
    if restarts > 0 { counts.append("\(restarts) restart\(restarts == 1 ? "" : "s")") }
    if let lastExit, restarts > 0 { counts.append("last \(lastExit)") }
    if !counts.isEmpty { text += " (\(counts.joined(separator: ", ")))" }
    if let detail, severity == .failing, reason.map(Self.lastingReasons.contains) != true { text += ": \(detail)" }
    return text
  }

  /// The kubectl command that shows the cause: the previous container's log for a crash, the
  /// pod's events for an image or scheduling problem.
  public func hint(namespace: String) -> String {
    let describe = "kubectl describe pod \(pod) -n \(namespace)"
    if let reason, Self.imageReasons.contains(reason) || reason == "CreateContainerConfigError" {
      return describe + "   # the events say which image or config is wrong"
    }
    if severity == .failing && reason != "CrashLoopBackOff" && reason != "RunContainerError" { return describe }
    let container = container.map { " -c \($0)" } ?? ""
    return "kubectl logs \(pod)\(container) -n \(namespace) --previous; \(describe)"
  }
}

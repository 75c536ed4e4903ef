import Foundation

/// A check of `mtobs health`: judged on a `Snapshot`.
public typealias HealthCheck = Check<Snapshot>

/// A check's verdict before it becomes a `CheckResult`.
public struct Verdict: Sendable, Equatable {
  public var status: CheckStatus
  public var message: String
  public var hint: String?
  public var objects: [String] = []
  public var durationMs: Int = 0
  /// False when waiting cannot help (a crash loop, a missing object, a wrong endpoint, a counter
  /// that only grows): `--wait` stops at once instead of sitting out its deadline.
  public var recoverable = true

  static func pass(_ message: String, objects: [String] = [], durationMs: Int = 0) -> Verdict {
    Verdict(status: .pass, message: message, hint: nil, objects: objects, durationMs: durationMs)
  }

  static func skip(_ message: String, hint: String? = nil) -> Verdict {
    Verdict(status: .skip, message: message, hint: hint)
  }
}

/// A result plus whether `--wait` should retry it.
public struct Assessment: Sendable, Equatable {
  public var result: CheckResult
  /// Whether collecting again can change the verdict; see `Verdict.recoverable`.
  public var recoverable: Bool
}

/// The checks of `mtobs health`, in report order, and the pure evaluation of a snapshot.
///
/// Dependencies (→ means "is skipped unless this passed or warned"):
///
///     kubernetes.api
///     kubernetes.namespace → kubernetes.api
///     workloads.present    → kubernetes.api (skips itself when the stack could not be read, and
///                            fails, listing what is missing, when nothing is deployed)
///     workloads.ready, workloads.pods, collector.ready, backends.*, grafana.health
///                          → kubernetes.namespace
///     collector.health     → collector.ready
///     collector.receivers, collector.exporters → collector.health
///     collector.config     → kubernetes.namespace
///     collector.pipelines, .zipkin-receiver, .exporter-endpoints, .rbac → collector.config
///     grafana.datasources  → grafana.health
///     dapr.configuration   → kubernetes.api (the app namespace is not the stack's)
///     dapr.zipkin-endpoint, dapr.sampling → dapr.configuration
public enum HealthChecks {
  public static let categories = ["kubernetes", "workloads", "collector", "backends", "grafana", "dapr"]

  public static let all: [HealthCheck] =
    KubernetesChecks.all + WorkloadChecks.all + CollectorChecks.all + CollectorWiringChecks.all + BackendChecks.all
    + DaprChecks.all

  /// The suite the check engine evaluates; its name is the report's `command`.
  public static let suite = CheckSuite(command: "health", categories: categories, checks: all)

  /// Evaluates every check in definition order (see `CheckSuite.assess`).
  public static func assess(_ snapshot: Snapshot, skip: [String] = [], categories: [String]? = nil) -> [Assessment] {
    suite.assess(snapshot, skip: skip, categories: categories)
  }

  /// The results only; see `assess` for `skip` and `categories`.
  public static func evaluate(_ snapshot: Snapshot, skip: [String] = [], categories: [String]? = nil) -> [CheckResult] {
    assess(snapshot, skip: skip, categories: categories).map(\.result)
  }

  // MARK: - Helpers shared by the check groups

  /// `namespace/kind/name`, kind in lower case.
  static func reference(_ namespace: String, _ kind: String, _ name: String) -> String {
    "\(namespace)/\(kind.lowercased())/\(name)"
  }

  static func failure(from error: ReadError, what: String, recoverable: Bool = true) -> Verdict {
    Verdict(status: .fail, message: "\(what): \(error.message)", hint: error.hint, recoverable: recoverable)
  }

  /// Checks that read the stack's objects skip, rather than fail, when they could not be read:
  /// `kubernetes.namespace` reports why.
  static func unreadableStack(_ snapshot: Snapshot) -> Verdict? {
    snapshot.stack.error == nil ? nil : .skip("skipped: kubernetes.namespace failed")
  }

  /// `kubectl get --raw` of a probe's URL, so a user can see the answer mtobs saw.
  static func rawGet(_ probe: Probe, namespace: String) -> String {
    let resource = probe.target.hasPrefix("pod/") ? "pods" : "services"
    let name = probe.target.split(separator: "/", maxSplits: 1).last.map(String.init) ?? probe.target
    let path = probe.path.hasPrefix("/") ? String(probe.path.dropFirst()) : probe.path
    return "kubectl get --raw /api/v1/namespaces/\(namespace)/\(resource)/\(name)/proxy/\(path)"
  }

  /// `namespace/pod/name` or `namespace/service/name` of a probe's target (`pod/NAME:PORT`).
  static func reference(of probe: Probe, namespace: String) -> String {
    let kind = probe.target.hasPrefix("pod/") ? "pod" : "service"
    let name = probe.target.split(separator: "/", maxSplits: 1).last.map { String($0.split(separator: ":")[0]) }
    return reference(namespace, kind, name ?? probe.target)
  }
}

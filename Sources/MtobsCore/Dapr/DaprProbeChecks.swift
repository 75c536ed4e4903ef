import Foundation

/// `dapr.probe-dns`, `dapr.probe-http`, `dapr.probe-accepted`: what `--probe` found from inside
/// the app namespace. Skipped, saying how to run them, without `--probe`.
enum DaprProbeChecks {
  static func withResult(_ snapshot: Snapshot, _ judge: (DaprProbeResult) -> Verdict) -> Verdict {
    guard let result = snapshot.daprDebug?.probe else {
      return .skip("skipped: not run without --probe (it starts a pod in the app namespace that sends one span)")
    }
    switch result.outcome {
    case .skipped: return .skip("skipped: the probe did not run: \(result.reason ?? "no reason given")")
    case .failed:
      return Verdict(
        status: .fail, message: result.reason ?? "the probe pod gave no answer",
        hint:
          "kubectl get events -n \(result.namespace) --field-selector involvedObject.kind=Pod | grep mtobs-dapr-probe"
          + "   # or pass another image with --probe-image", recoverable: false)
    case .ran: return judge(result)
    }
  }

  static func target(_ result: DaprProbeResult) -> (host: String, port: Int) {
    let url = URLComponents(string: result.endpoint)
    return (url?.host ?? result.endpoint, url?.port ?? 80)
  }

  static let checks: [DaprCheck] = [
    DaprCheck(
      id: "dapr.probe-dns", category: "probe", title: "the collector's host resolves from the app namespace",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      withResult(snapshot) { result in
        let host = target(result).host
        switch result.dns {
        case true?: return .pass("\(host) resolves in '\(result.namespace)'")
        case false?:
          return Verdict(
            status: .fail, message: "\(host) does not resolve in '\(result.namespace)'",
            hint: DaprDebugChecks.fixHint, recoverable: false)
        case nil:
          return Verdict(
            status: .fail,
            message: "the probe printed no DNS result: \(result.output.suffix(3).joined(separator: " | "))",
            hint: "is the probe image a busybox (nslookup, nc, wget)? --probe-image IMAGE", recoverable: false)
        }
      }
    },
    DaprCheck(
      id: "dapr.probe-http", category: "probe",
      title: "the Zipkin endpoint accepts a span (202) from the app namespace",
      dependencies: ["dapr.probe-dns"]
    ) { snapshot in
      withResult(snapshot) { result in
        let (host, port) = target(result)
        if result.tcp == false {
          return Verdict(
            status: .fail, message: "no connection to \(host):\(port) from '\(result.namespace)'",
            hint: "kubectl get endpoints -A | grep \(host.split(separator: ".").first ?? "")   # a NetworkPolicy?",
            recoverable: false)
        }
        guard let status = result.httpStatus else {
          return Verdict(
            status: .fail, message: "POST \(result.endpoint) got no HTTP answer", hint: DaprDebugChecks.fixHint,
            recoverable: false)
        }
        guard status == 202 else {
          return Verdict(
            status: .fail, message: "POST \(result.endpoint) answered HTTP \(status) (the zipkin receiver answers 202)",
            hint: DaprDebugChecks.fixHint, recoverable: false)
        }
        return .pass("POST \(result.endpoint) → 202")
      }
    },
    DaprCheck(
      id: "dapr.probe-accepted", category: "probe", title: "the collector counted the probe's span",
      dependencies: ["dapr.probe-http"]
    ) { snapshot in
      withResult(snapshot) { result in
        guard let before = result.acceptedBefore, let after = result.acceptedAfter else {
          return .skip("the collector's zipkin counter was not read before and after the probe")
        }
        let change = "\(CollectorChecks.count(before)) → \(CollectorChecks.count(after))"
        guard after > before else {
          return Verdict(
            status: .fail,
            message: "the collector's zipkin accepted-spans counter did not move (\(change)): the span went elsewhere",
            hint: "mtobs logs collector -n \(snapshot.namespace) --grep '(?i)zipkin'", recoverable: false)
        }
        return .pass("zipkin accepted spans \(change)")
      }
    },
  ]
}

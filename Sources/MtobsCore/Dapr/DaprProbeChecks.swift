import Foundation

/// `dapr.probe-dns`, `dapr.probe-http`, `dapr.probe-accepted`: what `--probe` found from inside
/// each app namespace. Skipped, saying how to run them, without `--probe`. Like the other
/// per-namespace checks, each judges every probe and none hides another namespace's finding: a
/// probe that failed in one namespace does not skip the next check for the others.
enum DaprProbeChecks {
  static let notRun = Verdict.skip(
    "skipped: not run without --probe (it starts a pod in the app namespace that sends one span)")

  /// `judge` sees each probe that ran. `dapr.probe-dns`, the first check, also reports the probes
  /// that did not: created but no answer (a failure), not run (a note with the reason), a pod that
  /// could not be deleted. When no probe ran at all: the skip, with the reasons.
  static func eachProbe(
    _ snapshot: Snapshot, reportsPods: Bool = false,
    _ judge: (DaprProbeResult, String, inout DaprDebugChecks.Findings) -> Void
  ) -> Verdict {
    guard let run = snapshot.daprDebug?.probe else {
      return notRun
    }
    guard run.results.contains(where: { $0.outcome != .skipped }) else {
      let reasons = Array(Set(run.results.map { $0.reason ?? "no reason given" })).sorted()
      return .skip(
        "skipped: the probe did not run: " + (reasons.isEmpty ? "nothing to probe" : reasons.joined(separator: "; ")))
    }
    let several = run.results.count > 1
    var findings = DaprDebugChecks.Findings()
    for result in run.results {
      // With several namespaces each finding says where it was seen.
      let place = several ? "'\(result.namespace)': " : ""
      switch result.outcome {
      case .ran: judge(result, place, &findings)
      case .failed where reportsPods:
        findings.failures.append(place + (result.reason ?? "the probe pod gave no answer"))
      case .skipped where reportsPods: findings.warnings.append("not probed in \(place)\(result.reason ?? "")")
      case .failed, .skipped: break
      }
      if reportsPods, let problem = result.cleanupProblem { findings.warnings.append(problem) }
    }
    if reportsPods {
      findings.warnings += run.notProbed.map {
        "not probed in '\($0)' (at most \(DaprCollector.probeLimit) probe pods a run)"
      }
    }
    let failedPod = run.results.first { $0.outcome == .failed }
    let hint =
      reportsPods && failedPod != nil
      ? "kubectl get events -n \(failedPod?.namespace ?? "NS") --field-selector involvedObject.kind=Pod "
        + "| grep mtobs-dapr-probe   # or pass another image with --probe-image"
      : DaprDebugChecks.fixHint
    return findings.verdict(hint: hint)
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
      eachProbe(snapshot, reportsPods: true) { result, place, findings in
        let host = target(result).host
        switch result.dns {
        case true?:
          findings.passes.append(
            "\(host) resolves in '\(result.namespace)'"
              + (result.othersAtWork.isEmpty
                ? "" : " (another run's probe pod \(result.othersAtWork.joined(separator: ", ")) left alone)"))
        case false?: findings.failures.append("\(host) does not resolve in '\(result.namespace)'")
        case nil:
          findings.failures.append(
            "\(place)the probe printed no DNS result: \(result.output.suffix(3).joined(separator: " | ")) "
              + "(is the probe image a busybox with nslookup, nc and wget? --probe-image IMAGE)")
        }
      }
    },
    DaprCheck(
      id: "dapr.probe-http", category: "probe",
      title: "the Zipkin endpoint accepts a span (202) from the app namespace",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      // A host that does not resolve is dapr.probe-dns's finding; with none past it, nothing to judge.
      if let run = snapshot.daprDebug?.probe, run.results.contains(where: { $0.outcome != .skipped }),
        !run.results.contains(where: { $0.outcome == .ran && $0.dns == true })
      {
        return .skip("skipped: no probe got past dapr.probe-dns")
      }
      return eachProbe(snapshot) { result, place, findings in
        guard result.dns == true else { return }
        let (host, port) = target(result)
        if result.tcp == false {
          findings.failures.append("no connection to \(host):\(port) from '\(result.namespace)' (a NetworkPolicy?)")
        } else if let status = result.httpStatus {
          if status == 202 {
            findings.passes.append("\(place)POST \(result.endpoint) → 202")
          } else {
            findings.failures.append(
              "\(place)POST \(result.endpoint) answered HTTP \(status) (the zipkin receiver answers 202)")
          }
        } else {
          findings.failures.append("\(place)POST \(result.endpoint) got no HTTP answer")
        }
      }
    },
    DaprCheck(
      id: "dapr.probe-accepted", category: "probe", title: "the collector counted the probe's span",
      dependencies: ["kubernetes.api"]
    ) { snapshot in
      guard let run = snapshot.daprDebug?.probe else {
        return notRun
      }
      let sent = run.results.count { $0.httpStatus == 202 }
      guard sent > 0 else { return .skip("skipped: no probe span was accepted (dapr.probe-http)") }
      guard let before = run.acceptedBefore, let after = run.acceptedAfter else {
        return .skip("the collector's zipkin counter was not read before and after the probe")
      }
      let change = "\(CollectorChecks.count(before)) → \(CollectorChecks.count(after))"
      guard after > before else {
        return Verdict(
          status: .fail,
          message: "the collector's zipkin accepted-spans counter did not move (\(change)): the span went elsewhere"
            + " (or to another collector replica)",
          hint: "mtobs logs collector -n \(snapshot.namespace) --grep '(?i)zipkin'", recoverable: false)
      }
      if after - before < Double(sent) {
        return Verdict(
          status: .warn,
          message:
            "the collector's zipkin accepted-spans counter moved by less than the \(sent) spans sent (\(change)):"
            + " some went elsewhere, or to another collector replica",
          hint: "mtobs logs collector -n \(snapshot.namespace) --grep '(?i)zipkin'", recoverable: false)
      }
      return .pass("zipkin accepted spans \(change)")
    },
  ]
}

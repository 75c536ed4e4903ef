import Foundation
import NIOHTTP1

/// What `debug-dapr --probe` found: from inside the app namespace, whether the collector's host
/// resolves, its port connects, and the Zipkin endpoint accepts a span (202), and whether the
/// collector's accepted-spans counter then moved. Kept in the snapshot (and bundles).
public struct DaprProbeResult: Sendable, Equatable, Codable {
  public enum Outcome: String, Sendable, Codable {
    /// The pod ran and printed its findings.
    case ran
    /// Not run, with the reason (no permission to create pods, no endpoint to probe, --dry-run).
    case skipped
    /// The pod was created but gave no findings (never started, timed out).
    case failed
  }

  public var outcome: Outcome
  public var reason: String?
  public var namespace: String
  public var pod: String?
  public var endpoint: String
  public var dns: Bool?
  public var tcp: Bool?
  public var httpStatus: Int?
  /// The pod's output, as it printed it (bounded).
  public var output: [String]
  /// Why the probe pod could not be deleted, when it could not: it is the user's to delete then.
  public var cleanupProblem: String?
  /// Probe pods of another run still at work in the namespace, left alone (they end by themselves).
  public var othersAtWork: [String] = []

  public init(
    outcome: Outcome, reason: String? = nil, namespace: String, pod: String? = nil, endpoint: String,
    dns: Bool? = nil, tcp: Bool? = nil, httpStatus: Int? = nil, output: [String] = []
  ) {
    self.outcome = outcome
    self.reason = reason
    self.namespace = namespace
    self.pod = pod
    self.endpoint = endpoint
    self.dns = dns
    self.tcp = tcp
    self.httpStatus = httpStatus
    self.output = output
  }

  /// Reads the `mtobs-probe KEY=VALUE` lines the pod's script prints.
  mutating func read(output lines: [String]) {
    output = Array(lines.suffix(50))
    for line in lines {
      let words = line.split(separator: " ")
      guard words.first == "mtobs-probe", words.count >= 2 else { continue }
      let pair = words[1].split(separator: "=", maxSplits: 1).map(String.init)
      guard pair.count == 2 else { continue }
      switch pair[0] {
      case "dns": dns = pair[1] == "ok"
      case "tcp": tcp = pair[1] == "ok"
      case "http": httpStatus = Int(pair[1])
      default: break
      }
    }
  }
}

/// What `debug-dapr --probe` found in each app namespace it probed from, and the collector's
/// zipkin accepted-spans counter before and after all of them.
public struct DaprProbeRun: Sendable, Equatable, Codable {
  public var results: [DaprProbeResult]
  public var acceptedBefore: Double?
  public var acceptedAfter: Double?
  /// App namespaces not probed: past the limit of probe pods a run starts.
  public var notProbed: [String]

  public init(
    results: [DaprProbeResult], acceptedBefore: Double? = nil, acceptedAfter: Double? = nil, notProbed: [String] = []
  ) {
    self.results = results
    self.acceptedBefore = acceptedBefore
    self.acceptedAfter = acceptedAfter
    self.notProbed = notProbed
  }
}

/// The probe pod: created over the transport in the app namespace, labelled as mtobs's, watched
/// until it ends (bounded), its log read, and deleted on every way out (Ctrl-C included). A
/// leftover from an earlier run that was killed is deleted first.
public struct DaprProbe: Sendable {
  public static let label = "mtobs.dev/probe"
  public static let labelValue = "dapr"
  public static let defaultImage = "busybox:1.36"

  public let kube: KubeClient
  public let namespace: String
  public let endpoint: String
  public let image: String
  /// How long the pod may take, from creation to its end.
  public let limit: Duration
  public var pollInterval: Duration = .milliseconds(300)

  public init(kube: KubeClient, namespace: String, endpoint: String, image: String, limit: Duration) {
    self.kube = kube
    self.namespace = namespace
    self.endpoint = endpoint
    self.image = image
    self.limit = limit
  }

  /// Container waiting reasons that mean the pod will not start by waiting.
  static let hopeless: Set<String> = [
    "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError",
    "ErrImageNeverPull",
  ]

  public func run() async -> DaprProbeResult {
    var result = DaprProbeResult(outcome: .skipped, namespace: namespace, endpoint: endpoint)
    guard let url = URLComponents(string: endpoint), let host = url.host, !host.isEmpty else {
      result.reason = "the endpoint '\(endpoint)' is not a URL"
      return result
    }
    let port = url.port ?? (url.scheme == "https" ? 443 : 80)
    result.othersAtWork = await removeLeftovers()
    let name = "mtobs-dapr-probe-\(Self.suffix())"
    result.pod = name
    do {
      _ = try await kube.apiSend(
        .POST, "/api/v1/namespaces/\(namespace)/pods",
        json: Self.manifest(name: name, namespace: namespace, image: image, host: host, port: port, url: endpoint),
        what: "creating the probe pod in '\(namespace)'")
    } catch let error as KubeError where error.failure != nil {
      // The API server answered: the pod was not created.
      result.pod = nil
      if error.reason == .forbidden {
        result.reason = "no permission to create pods in '\(namespace)': \(error.message)"
      } else {
        result.reason = "could not create the probe pod in '\(namespace)': \(error.message)"
      }
      return result
    } catch {
      // No answer (interrupted, timed out): the pod may exist all the same.
      result.cleanupProblem = await delete(name)
      result.outcome = .failed
      result.reason = Task.isCancelled ? "interrupted" : "could not create the probe pod: \(error)"
      return result
    }
    // From here the pod exists: it is deleted however this ends, even when the run is cancelled.
    let ended = await watch(name)
    if case .ended = ended, let log = try? await log(name) {
      result.outcome = .ran
      result.read(output: log)
    } else {
      result.outcome = .failed
      switch ended {
      case .ended: result.reason = "the probe pod's log could not be read"
      case .neverStarted(let why): result.reason = "the probe pod never started: \(why)"
      case .timedOut(let phase):
        result.reason = "the probe pod did not finish within \(DurationText.format(limit)) (phase \(phase))"
      case .gone: result.reason = "the probe pod was deleted by someone else"
      case .interrupted: result.reason = "interrupted"
      }
    }
    result.cleanupProblem = await delete(name)
    return result
  }

  enum Ending: Equatable {
    case ended, neverStarted(String), timedOut(String), gone, interrupted
  }

  private func watch(_ name: String) async -> Ending {
    let deadline = ContinuousClock.now + limit
    var phase = "Pending"
    while ContinuousClock.now < deadline {
      if Task.isCancelled { return .interrupted }
      let pod: KubeObject?
      do {
        pod = try await kube.get(kind: "pods", name: name, namespace: namespace)
      } catch {
        if Task.isCancelled { return .interrupted }
        pod = nil
      }
      if let pod {
        phase = pod.raw[path: "status", "phase"]?.string ?? "Pending"
        if phase == "Succeeded" || phase == "Failed" { return .ended }
        for status in pod.raw[path: "status", "containerStatuses"]?.array ?? [] {
          if let reason = status[path: "state", "waiting", "reason"]?.string, Self.hopeless.contains(reason) {
            let message = status[path: "state", "waiting", "message"]?.string.map { ": \($0)" } ?? ""
            return .neverStarted("\(reason)\(message) (image \(image))")
          }
        }
      }
      do { try await Task.sleep(for: pollInterval) } catch { return .interrupted }
    }
    return .timedOut(phase)
  }

  private func log(_ name: String) async throws -> [String] {
    let bytes = try await kube.apiGet(
      "/api/v1/namespaces/\(namespace)/pods/\(name)/log?limitBytes=65536", what: "reading the probe pod's log")
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// Deletes a probe pod; nil when it is gone, else what to tell the user (the pod is theirs to
  /// delete then; "not found" is gone, also when its creation got no answer and it never
  /// existed). Runs outside the (possibly cancelled) task, so an interrupt cannot stop it.
  private func delete(_ name: String) async -> String? {
    let kube = kube
    let namespace = namespace
    let path = "/api/v1/namespaces/\(namespace)/pods/\(name)?gracePeriodSeconds=0"
    return await Task.detached { () -> String? in
      do {
        _ = try await kube.apiSend(.DELETE, path, what: "deleting the probe pod \(name)")
        return nil
      } catch let error as KubeError where error.reason == .notFound {
        return nil
      } catch {
        let why = (error as? KubeError)?.message ?? "\(error)"
        let kubectl = (["kubectl"] + kube.target.selectionArguments).map(ShellQuoting.quote).joined(separator: " ")
        return
          "the probe pod \(name) could not be deleted (\(why)); delete it: \(kubectl) delete pod \(name) -n \(namespace)"
      }
    }.value
  }

  /// Probe pods an earlier run could not delete (it was killed): found by label, deleted. A probe
  /// of another run still at work (a teammate's, in the same namespace) is left alone, and named.
  private func removeLeftovers() async -> [String] {
    let selector = "\(Self.label)=\(Self.labelValue)"
    guard let pods = try? await kube.list(kinds: ["pods"], namespace: namespace, labelSelector: selector) else {
      return []
    }
    var atWork: [String] = []
    for pod in pods {
      if Self.isLeftover(pod, now: Date()) {
        _ = await delete(pod.name)
      } else {
        atWork.append(pod.name)
      }
    }
    return atWork
  }

  /// How long a probe pod can live: its `activeDeadlineSeconds`, then the kubelet ends it.
  static let podDeadlineSeconds = 120

  /// A probe pod no run is waiting for: it ended, or it is older than any probe can last.
  static func isLeftover(_ pod: KubeObject, now: Date) -> Bool {
    let phase = pod.raw[path: "status", "phase"]?.string
    if phase == "Succeeded" || phase == "Failed" { return true }
    guard let created = pod.raw[path: "metadata", "creationTimestamp"]?.string,
      let date = try? Date.ISO8601FormatStyle().parse(created)
    else { return true }  // No age to go by: an unreadable probe pod is mtobs's own to clean up.
    return now.timeIntervalSince(date) > Double(podDeadlineSeconds + 60)
  }

  static func suffix() -> String {
    let letters = Array("bcdfghjklmnpqrstvwxz2456789")
    return String((0..<5).map { _ in letters.randomElement() ?? "x" })
  }

  /// The pod: one busybox container that resolves the host, connects to the port and POSTs one
  /// minimal Zipkin v2 span, printing `mtobs-probe KEY=VALUE` lines. It ends by itself (no
  /// restarts, a deadline) even if mtobs is killed before it can delete it.
  static func manifest(name: String, namespace: String, image: String, host: String, port: Int, url: String) -> [UInt8]
  {
    let micros = Int64(exactly: (Date().timeIntervalSince1970 * 1_000_000).rounded()) ?? 0
    let traceID = (0..<16).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
    let span =
      #"[{"traceId":"\#(traceID)","id":"\#(traceID)","name":"mtobs-debug-dapr-probe","timestamp":\#(micros),"#
      + #""duration":1000,"kind":"CLIENT","localEndpoint":{"serviceName":"mtobs-probe"}}]"#
    let script = """
      if nslookup "$HOST" >/dev/null 2>&1; then echo "mtobs-probe dns=ok"; else echo "mtobs-probe dns=fail"; fi
      if nc -z -w 3 "$HOST" "$PORT" 2>/dev/null; then echo "mtobs-probe tcp=ok"; else echo "mtobs-probe tcp=fail"; fi
      code=$(wget -S -q -O /dev/null -T 5 --header "Content-Type: application/json" --post-data "$SPAN" "$URL" 2>&1 \
        | grep -o 'HTTP/[0-9.]* [0-9]*' | tail -n 1 | cut -d ' ' -f 2)
      echo "mtobs-probe http=${code:-none}"
      """
    let env: [JSONValue] = [("HOST", host), ("PORT", String(port)), ("URL", url), ("SPAN", span)].map {
      .object(["name": .string($0.0), "value": .string($0.1)])
    }
    let pod: JSONValue = .object([
      "apiVersion": .string("v1"), "kind": .string("Pod"),
      "metadata": .object([
        "name": .string(name), "namespace": .string(namespace),
        "labels": .object([
          label: .string(labelValue), "app.kubernetes.io/managed-by": .string("mtobs"),
        ]),
        // Not a Dapr app: no sidecar for the probe.
        "annotations": .object(["dapr.io/enabled": .string("false"), "sidecar.istio.io/inject": .string("false")]),
      ]),
      "spec": .object([
        "restartPolicy": .string("Never"), "activeDeadlineSeconds": .number(Double(podDeadlineSeconds)),
        "terminationGracePeriodSeconds": .number(0), "automountServiceAccountToken": .bool(false),
        "containers": .array([
          .object([
            "name": .string("probe"), "image": .string(image),
            "command": .array([.string("sh"), .string("-c"), .string(script)]),
            "env": .array(env),
            "resources": .object(["limits": .object(["cpu": .string("100m"), "memory": .string("32Mi")])]),
          ])
        ]),
      ]),
    ])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? Array(encoder.encode(pod))) ?? []
  }
}

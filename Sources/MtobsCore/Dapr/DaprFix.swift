import Foundation

/// `debug-dapr --fix` (pure): for each app namespace whose Configuration is missing or points
/// spans at the wrong place, the corrected Configuration (its other settings kept), the lines that
/// change, and the pods that must restart to pick it up.
public struct DaprFix: Sendable, Equatable {
  public var namespace: String
  public var name: String
  /// The manifest to apply (YAML).
  public var manifest: String
  /// The manifest as printed: secret-looking values (an `otel.headers` token) redacted as in
  /// bundles. Equal to `manifest` when it holds none.
  public var shownManifest: String
  /// `- old` / `+ new` lines between the Configuration as it is and the manifest; all `+` when new.
  /// Secret-looking values redacted.
  public var diff: [String]
  /// `kubectl rollout restart …` per workload whose pods use this Configuration: a sidecar reads
  /// its Configuration once, at start (also when the Configuration did not exist then).
  public var restarts: [String]

  /// What `--fix` has to say: the Configurations to apply, what a Configuration cannot fix (pods
  /// without the annotation, or naming another one), or why there is nothing it can write.
  public struct Plan: Sendable, Equatable {
    public var fixes: [DaprFix] = []
    public var notes: [String] = []
    /// Set when no Configuration can be written (Dapr is not installed, nothing was readable).
    public var blocked: String?
  }

  /// The fixes a snapshot calls for; no fixes when every app namespace is right. `kubectl` is the
  /// command, with its context selection, that the restart lines use.
  public static func plan(_ snapshot: Snapshot, kubectl: String = "kubectl") -> Plan {
    guard let reads = snapshot.daprDebug else { return Plan(blocked: "these reads hold no Dapr Configuration") }
    if let error = reads.configurations.error {
      let notInstalled = error.resourceTypeNotServed
      return Plan(
        blocked: notInstalled
          ? "Dapr is not installed (no configurations.dapr.io): install it first, e.g. dapr init -k"
          : "the Configurations could not be read (\(error.message)), so none is written")
    }
    let collector = DaprDebugChecks.collector(snapshot)
    let configured = snapshot.expectations.daprConfiguration
    var plan = Plan()
    for namespace in reads.existingAppNamespaces {
      let existing = DaprDebugChecks.judged(reads, namespace, configured: configured)
      let targets = existing.isEmpty ? [nil] : existing.map { Optional($0) }
      for current in targets {
        let name = current?.name ?? configured
        let spec = corrected(current?.raw["spec"], namespace: namespace, collector: collector, reads: reads)
        let before = current.map { manifest(name: name, namespace: namespace, spec: $0.raw["spec"] ?? .object([:])) }
        let after = manifest(name: name, namespace: namespace, spec: spec)
        guard before != after else { continue }
        let pods = reads.pods(in: namespace).filter { $0.annotation(DaprPods.configAnnotation) == name }
        let shownBefore = current.map {
          manifest(name: name, namespace: namespace, spec: BundleRedaction.sanitize($0.raw["spec"] ?? .object([:])))
        }
        let shownAfter = manifest(name: name, namespace: namespace, spec: BundleRedaction.sanitize(spec))
        plan.fixes.append(
          DaprFix(
            namespace: namespace, name: name, manifest: after, shownManifest: shownAfter,
            diff: lineDiff(shownBefore.map(lines) ?? [], lines(shownAfter)),
            restarts: DaprPods.restartCommands(pods, kubectl: kubectl)))
      }
      // What no Configuration can fix: the pod must name one that exists in its namespace.
      let names = Set(reads.configurations(in: namespace).map(\.name) + [configured])
      for pod in reads.pods(in: namespace) {
        switch pod.annotation(DaprPods.configAnnotation) {
        case nil, "":
          plan.notes.append(
            "\(DaprPods.name(pod)) has no dapr.io/config annotation: add dapr.io/config: \"\(configured)\" to its pod "
              + "template")
        case let other? where !names.contains(other):
          plan.notes.append(
            "\(DaprPods.name(pod)) names Configuration '\(other)', which is not in '\(namespace)': set its "
              + "dapr.io/config annotation to \"\(configured)\"")
        default: break
        }
      }
    }
    return plan
  }

  /// The spec with tracing corrected: the Zipkin (or OTLP) endpoint to the collector, a sampling
  /// rate that samples; everything else as it was.
  static func corrected(
    _ spec: JSONValue?, namespace: String, collector: (service: String, namespace: String, url: String),
    reads: DaprReads
  ) -> JSONValue {
    var specFields = spec?.object ?? [:]
    var tracing = specFields["tracing"]?.object ?? [:]
    if case .pass = DaprSampling.judge(tracing["samplingRate"]) {
    } else {
      tracing["samplingRate"] = .string("1")
    }
    var otel = tracing["otel"]?.object
    if var block = otel {
      let proto = block["protocol"]?.string ?? "grpc"
      let expected = DaprEndpoints.expectedOTLP(collector: (collector.service, collector.namespace), protocol: proto)
      let address = block["endpointAddress"]?.string ?? ""
      let url = address.contains("://") ? address : "http://" + address
      let judgement = DaprEndpoints.judge(
        address: url, namespace: namespace, port: DaprEndpoints.otlpPort(proto), path: nil,
        collector: (collector.service, collector.namespace, expected), reads: reads)
      if address.isEmpty || !judgement.problems.isEmpty { block["endpointAddress"] = .string(expected) }
      if block["isSecure"]?.bool == true || block["isSecure"]?.string == "true" { block["isSecure"] = .bool(false) }
      block["protocol"] = .string(proto)
      otel = block
      tracing["otel"] = .object(block)
    }
    var zipkin = tracing["zipkin"]?.object ?? [:]
    let address = zipkin["endpointAddress"]?.string ?? ""
    if address.isEmpty {
      // Without any exporter Dapr sends nothing; an OTLP block alone is a choice that stays.
      if otel == nil {
        zipkin["endpointAddress"] = .string(collector.url)
        tracing["zipkin"] = .object(zipkin)
      }
    } else {
      let judgement = DaprEndpoints.judge(
        address: address, namespace: namespace, port: DaprEndpoints.zipkinPort(collector.url),
        path: DaprEndpoints.zipkinPath,
        collector: collector, reads: reads)
      if !judgement.problems.isEmpty {
        zipkin["endpointAddress"] = .string(collector.url)
        tracing["zipkin"] = .object(zipkin)
      }
    }
    specFields["tracing"] = .object(tracing)
    return .object(specFields)
  }

  static func manifest(name: String, namespace: String, spec: JSONValue) -> String {
    let object: [(String, JSONValue)] = [
      ("apiVersion", .string("dapr.io/v1alpha1")), ("kind", .string("Configuration")),
      ("metadata", .object(["name": .string(name), "namespace": .string(namespace)])), ("spec", spec),
    ]
    return object.map { key, value in YAMLText.entry(key, value, indent: 0) }.joined()
  }

  static func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  /// A line diff (longest common subsequence; Configurations are a few lines long).
  static func lineDiff(_ old: [String], _ new: [String]) -> [String] {
    var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
    for i in stride(from: old.count - 1, through: 0, by: -1) {
      for j in stride(from: new.count - 1, through: 0, by: -1) {
        table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    var (i, j) = (0, 0)
    var diff: [String] = []
    while i < old.count || j < new.count {
      if i < old.count, j < new.count, old[i] == new[j] {
        i += 1
        j += 1
      } else if j < new.count, i == old.count || table[i][j + 1] >= table[i + 1][j] {
        diff.append("+ " + new[j])
        j += 1
      } else {
        diff.append("- " + old[i])
        i += 1
      }
    }
    return diff
  }
}

extension DaprEndpoints {
  /// The port of the expected Zipkin URL (the configured collector Zipkin port).
  static func zipkinPort(_ url: String) -> Int { URLComponents(string: url)?.port ?? 9411 }
}

/// Block-style YAML of JSON values, for manifests people read and `kubectl apply` reads back:
/// keys in order (sorted within objects), strings quoted as JSON strings (valid YAML).
enum YAMLText {
  static func entry(_ key: String, _ value: JSONValue, indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    switch value {
    case .object(let fields) where !fields.isEmpty:
      return "\(pad)\(keyText(key)):\n"
        + fields.keys.sorted().map { entry($0, fields[$0] ?? .null, indent: indent + 2) }.joined()
    case .array(let items) where !items.isEmpty:
      return "\(pad)\(keyText(key)):\n" + items.map { item(indent: indent + 2, $0) }.joined()
    default:
      return "\(pad)\(keyText(key)): \(scalar(value))\n"
    }
  }

  static func item(indent: Int, _ value: JSONValue) -> String {
    let pad = String(repeating: " ", count: indent)
    switch value {
    case .object(let fields) where !fields.isEmpty:
      let keys = fields.keys.sorted()
      return keys.enumerated().map { index, name in
        let text = entry(name, fields[name] ?? .null, indent: indent + 2)
        return index == 0 ? pad + "- " + text.dropFirst(indent + 2) : text
      }.joined()
    default:
      return "\(pad)- \(scalar(value))\n"
    }
  }

  static func keyText(_ name: String) -> String {
    name.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) } && !name.isEmpty ? name : quoted(name)
  }

  static func scalar(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let number):
      return Int64(exactly: number).map(String.init) ?? "\(number)"
    case .string(let text): return quoted(text)
    case .array: return "[]"
    case .object: return "{}"
    }
  }

  static func quoted(_ text: String) -> String {
    guard let data = try? JSONEncoder().encode(text) else { return "\"\"" }
    return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
  }
}

import Foundation
import Testing

@testable import MtobsCore

/// Every parser of outside input, over thousands of generated inputs: a value or a clear error,
/// never a trap (a trap ends the test process, which fails the run). Seeds are fixed, so a failure
/// replays; failures name their iteration. `MTOBS_FUZZ_SCALE=N` runs N times as many inputs.
@Suite("parsers of outside input never trap")
struct ParserFuzzTests {
  // MARK: - Durations (flags and config)

  @Test func durations() {
    var input = FuzzInput(seed: 0xD0_0001)
    let alphabet = ["0", "1", "5", "9", "00", ".", "ms", "s", "m", "h", "us", " ", "10", "250", "1.5", "h3"]
    let valid = ["10s", "500ms", "1m30s", "2h", "1.5s", "2562047h", "0.001ms"]
    var problems: [String] = []
    for iteration in 0..<FuzzInput.iterations(5000) {
      let text =
        iteration % 2 == 0
        ? input.text(alphabet: alphabet, maximumLength: 12) : input.mutation(of: input.pick(valid))
      switch DurationText.read(text) {
      case .success(let duration):
        if duration < .zero || duration > DurationText.maximum { problems.append("\(iteration): out of range") }
        // What is printed reads back as the same duration (kubectl gets the printed form).
        if DurationText.read(DurationText.format(duration)) != .success(duration) {
          problems.append("\(iteration): '\(text)' does not survive format")
        }
      case .failure:
        break
      }
      if case .failure(let problem) = ConfigValue.parse(text, as: .duration), problem.message.isEmpty {
        problems.append("\(iteration): an empty reason for '\(text)'")
      }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
  }

  // MARK: - Prometheus text (the collector's metrics)

  @Test func prometheusText() {
    var input = FuzzInput(seed: 0x9A0_0002)
    let valid = HealthSnapshots.metrics(failedLogRecords: 3, refusedSpans: 2)
    let alphabet = [
      "otelcol_exporter_queue_size", "otelcol_receiver_accepted_spans_total", "{", "}", "exporter=", "\"x\"", ",", " ",
      "1", "\n", "# TYPE ", "<html>", "=", "\\\"", "NaN", "+Inf", "9.3e18",
    ]
    var snapshot = HealthSnapshots.healthy()
    var problems: [String] = []
    for iteration in 0..<FuzzInput.iterations(1200) {
      let text = iteration % 3 == 0 ? input.text(alphabet: alphabet, maximumLength: 60) : input.mutation(of: valid)
      let metrics = CollectorMetrics(parsing: text)
      for name in ["otelcol_exporter_queue_size", "otelcol_exporter_send_failed_spans"] {
        for value in metrics.sum(name, by: "exporter").values { _ = CollectorChecks.count(value) }
      }
      // Evaluating is slower than parsing: every 40th input goes through the checks.
      guard iteration % 30 == 0 else { continue }
      snapshot.setProbe(HealthSnapshots.collectorMetricsProbe(text))
      let results = HealthChecks.evaluate(snapshot, categories: ["collector"])
      let exporters = results.first { $0.id == "collector.exporters" }
      if metrics.samples.isEmpty, exporters?.status != .fail {
        problems.append("\(iteration): no sample, yet \(exporters?.status.rawValue ?? "no result")")
      }
      for result in results where result.message.isEmpty || result.message.unicodeScalars.contains("\u{1B}") {
        problems.append("\(iteration): \(result.id): '\(result.message)'")
      }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
  }

  // MARK: - Bundles

  @Test func bundles() throws {
    var input = FuzzInput(seed: 0xB0_0003)
    var small = HealthSnapshots.lokiNotReadyAndLogExportFailing()
    // A few objects of each shape keep each decode quick.
    small.stack.value = (small.stack.value ?? []).filter { $0.name.hasPrefix(HealthSnapshots.collector) }
    small.probes = small.probes.filter { $0.id.hasPrefix("collector.") || $0.id == "loki.ready" }
    small.logs = [LogTail(pod: "p", container: "c", lines: ["level=info msg=ok", "token=abc"])]
    let valid = try BundleFile.encode(small)
    var decoded = 0
    var problems: [String] = []
    for iteration in 0..<FuzzInput.iterations(400) {
      let bytes = input.mutation(of: Array(valid))
      do {
        let snapshot = try BundleFile.decode(Data(bytes), path: "fuzz.json")
        decoded += 1
        _ = try BundleFile.encode(snapshot)
        // What decodes must also evaluate and render; every 10th, as evaluating is the slow part.
        guard decoded % 10 == 0 else { continue }
        let report = HealthRunner.report(for: snapshot, options: .init(), startedAt: snapshot.capturedAt, durationMs: 0)
        if ReportRenderer.json(report).isEmpty { problems.append("\(iteration): empty JSON report") }
      } catch let error as BundleFile.Error {
        if !error.message.hasPrefix("'fuzz.json' ") || error.hint.isEmpty {
          problems.append("\(iteration): unclear: \(error.message) / \(error.hint)")
        }
      } catch {
        problems.append("\(iteration): a decoded bundle did not encode again: \(error)")
      }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
    #expect(decoded > 40, "the mutations left some bundles decodable, so evaluation was exercised too")
  }

  @Test func aBundleFileThatIsNotABundle() throws {
    var input = FuzzInput(seed: 0xB0_0004)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("bundle.json").path
    for iteration in 0..<FuzzInput.iterations(100) {
      let bytes = input.mutation(of: Array(#"{"apiVersion":"mtobs/v1","kind":"Bundle"}"#.utf8))
      #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
      #expect(throws: BundleFile.Error.self, "\(iteration)") { _ = try BundleFile.load(path: path) }
    }
  }

  // MARK: - kubectl JSON

  @Test func kubectlJSON() {
    var input = FuzzInput(seed: 0x4B_0005)
    let stack = HealthSnapshots.stackObjects()
    let samples = stack.map { object in sortedJSON(object.raw) }
    var snapshot = HealthSnapshots.healthy()
    var decoded = 0
    var problems: [String] = []
    for iteration in 0..<FuzzInput.iterations(2000) {
      let text = iteration % 4 == 0 ? randomJSON(&input, depth: 0) : input.mutation(of: input.pick(samples))
      guard let value = try? JSONValue.decode(Array(text.utf8)) else { continue }
      decoded += 1
      let object = KubeObject(value)
      _ = (object.kind, object.name, object.namespace, object.labels, object.reference)
      _ = PodDiagnosis(object)
      _ = (value.int, value["status"]?["replicas"]?.int, value[path: "status", "containerStatuses"]?.array)
      // Every 50th goes through every check as one object of the stack (workload and pod rules read numbers).
      guard decoded % 50 == 0 else { continue }
      var objects = stack
      objects[input.int(0..<objects.count)] = object
      snapshot.stack = .success(objects)
      let count = HealthChecks.evaluate(snapshot).count
      if count != HealthChecks.all.count { problems.append("\(iteration): \(count) results") }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
    #expect(decoded > 300, "enough inputs decoded to exercise the accessors")
  }

  /// The hand-written parser reads what Foundation reads, the same way, and refuses what it
  /// refuses: random documents, mutations of real objects, escapes, deep nesting, bad UTF-8.
  @Test func jsonParserAgreesWithFoundation() {
    var input = FuzzInput(seed: 0x4A_0006)
    let samples = HealthSnapshots.stackObjects().map { object in sortedJSON(object.raw) }
    let special = [
      #""a\"b\\c\/d\b\f\n\r\t""#, #""\u00e9\u4e2d\ud83d\ude00""#, "\"é中😀\"", " [ 1 , -0 , 0.5e-3 , 1E+2 ] ",
      "{\"a\":{\"a\":1},\"a\":2}", "[01]", "[1.]", "[.5]", "[-]", "[1e]", "\"\t\"", "\"\u{7}\"", "[1,]", "{,}",
      "{\"a\":1,}", "[1,,]", "\u{FEFF}[1]", "[\"\u{FEFF}\"]",
      "tru", "nul", "[] x", "", "  ", "\"\\x\"", "\"\\u12\"",
      // A raw tab in a later duplicate key's value: invalid JSON (CI run of ca49087 found it).
      "{\"s\":{\"a\":\"x\"},\"s\":{\"b\t\":1}}", "{\"s\":1,\"s\":\"\t\"}",
    ]
    var problems: [String] = []
    var agreedValues = 0
    for iteration in 0..<FuzzInput.iterations(3000) {
      let text: String
      switch iteration % 5 {
      case 0: text = randomJSON(&input, depth: 0)
      case 1: text = input.pick(special)
      default: text = input.mutation(of: input.pick(samples))
      }
      let ours = try? JSONParser.parse(Array(text.utf8))
      // What mtobs used before: Foundation's JSONDecoder through JSONValue's Codable conformance.
      let foundation = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
      // JSONDecoder keeps the first of duplicate keys and never validates the strings of the
      // later ones, so it reads some invalid documents; JSONSerialization validates every byte
      // and must then refuse them as ours does (RFC 8259 §7: control characters are escaped).
      let decoderLeniency =
        ours == nil && foundation != nil
        && (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil
      if ours != foundation && !decoderLeniency {
        problems.append(
          "\(iteration): \(text.debugDescription.suffix(700)): ours \(ours == nil ? "refused" : "read"), "
            + "Foundation's \(foundation == nil ? "refused" : "read")")
      } else if ours != nil {
        agreedValues += 1
      }
    }
    // Nesting: deeper than the limit is an error, never a crash.
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
    let depth = JSONParser.maximumDepth
    let allowed = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    #expect((try? JSONParser.parse(Array(allowed.utf8))) != nil)
    // Invalid UTF-8 inside a string.
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    #expect(problems.isEmpty, "\(problems.prefix(3))")
    #expect(agreedValues > 500, "enough documents parsed to compare values")
  }

  /// The object as JSON with sorted keys: a dictionary's order changes with every process, and
  /// the mutations made of it must not, or a failure found once can't be found again.
  private func sortedJSON(_ value: JSONValue) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
  }

  /// A random JSON document with hostile numbers and Kubernetes-like keys.
  private func randomJSON(_ input: inout FuzzInput, depth: Int) -> String {
    let keys = [
      "kind", "metadata", "name", "status", "replicas", "readyReplicas", "restartCount", "containerStatuses",
      "state", "waiting", "reason", "exitCode", "phase", "spec", "labels",
    ]
    switch depth > 6 ? input.int(0..<4) : input.int(0..<7) {
    case 0: return input.pick(["0", "1", "-1", "2.5", "1e300", "-1e300", "9223372036854775807", "1e19", "4294967296"])
    case 1: return input.pick(["true", "false", "null"])
    case 2: return "\"" + input.pick(["Pod", "Deployment", "Running", "CrashLoopBackOff", "", "\\u0000", "x"]) + "\""
    case 3: return "\"\(input.pick(keys))\""
    case 4, 5:
      let members = (0..<input.int(0..<6)).map { _ in "\"\(input.pick(keys))\":\(randomJSON(&input, depth: depth + 1))"
      }
      return "{" + members.joined(separator: ",") + "}"
    default:
      return "[" + (0..<input.int(0..<5)).map { _ in randomJSON(&input, depth: depth + 1) }.joined(separator: ",") + "]"
    }
  }

  // MARK: - Configuration files

  @Test func configFiles() throws {
    var input = FuzzInput(seed: 0xC0_0006)
    let valid = """
      namespace: monitoring
      timeout: 10s
      grafana:
        port: 80
        service: lgtm-grafana
      deploy:
        protected-contexts: ["*prod*", staging]
      tools: {kubectl: /usr/bin/kubectl}
      """
    let alphabet = [
      "namespace", "timeout", "grafana", "port", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", "10s", "80", "&x ",
      "*x", "'", "\"", "#", "tools.kubectl", "deploy", "protected-contexts", "!!str ", "? ", "|", ">",
    ]
    var problems: [String] = []
    for iteration in 0..<FuzzInput.iterations(800) {
      let text = iteration % 3 == 0 ? input.text(alphabet: alphabet, maximumLength: 40) : input.mutation(of: valid)
      do {
        let file = try ConfigFile.parse(text, path: "fuzz.yaml")
        let configuration = try Configuration.resolve(flags: [], environment: [:], files: [file])
        if configuration.settings.count != ConfigKey.all.count { problems.append("\(iteration): settings missing") }
      } catch {
        if !error.description.hasPrefix("fuzz.yaml") || error.message.isEmpty {
          problems.append("\(iteration): unclear: \(error)")
        }
      }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
  }

  /// Aliases that expand exponentially ("billion laughs") are refused or read, quickly.
  @Test func configAliasBombs() {
    var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in 1..<30 {
      lines.append(
        "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
    }
    for text in [lines.joined(separator: "\n"), "deploy:\n  protected-contexts: &l [a, b]\nx: *l\n"] {
      #expect(throws: ConfigError.self) { _ = try ConfigFile.parse(text, path: "bomb.yaml") }
    }
  }

  /// The loader itself (files on disk, `--config`), on a few hundred damaged files.
  @Test func configLoaderOnDisk() throws {
    var input = FuzzInput(seed: 0xC0_0007)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("mtobs.yaml").path
    let loader = ConfigLoader(environment: ["HOME": directory.path], workingDirectory: directory.path)
    var problems: [String] = []
    for iteration in 0..<FuzzInput.iterations(100) {
      let bytes = input.mutation(of: Array("namespace: monitoring\ntimeout: 20s\ngrafana: {port: 3000}\n".utf8))
      guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        problems.append("\(iteration): cannot write the input")
        continue
      }
      do {
        _ = try loader.load(flags: [], explicitFile: path, repositoryRoot: nil)
      } catch  where error.path != path {
        problems.append("\(iteration): \(error)")
      } catch {}
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
  }
}

import Foundation
import Synchronization
import Testing

@testable import MtobsCore

/// The deploy history keeps every record, including ones this version cannot read, and never
/// overwrites a concurrent writer's.
@Suite("Deploy history")
struct DeployHistoryTests {
  static func record(_ time: String, outcome: DeployRecord.Outcome = .succeeded) -> DeployRecord {
    DeployRecord(
      time: time, user: "ana", context: "dev", namespace: "monitoring", profile: "infra-observability",
      tool: .skaffold, source: "/repo/skaffold.yaml", commit: "0123456789abcdef", branch: "main", dirty: false,
      outcome: outcome, message: nil, mtobsVersion: "1.0.0")
  }

  /// A record as a newer mtobs could write it: an outcome this version does not know, and a new field.
  static let newer =
    #"{"context":"dev","mtobsVersion":"9.0.0","namespace":"monitoring","outcome":"rolled-back","profile":"all-infra","#
    + #""source":"/repo/skaffold.yaml","time":"2025-06-02T10:00:00Z","tool":"skaffold","user":"bo","undoneBy":"ana"}"#

  static func configMap(data: String, resourceVersion: String = "7") -> KubeObject {
    KubeObject(
      .object([
        "metadata": .object(["name": .string("mtobs-deployments"), "resourceVersion": .string(resourceVersion)]),
        "data": .object([DeployHistory.dataKey: .string(data)]),
      ]))
  }

  static func storedJSON(_ records: [DeployRecord]) throws -> String {
    String(decoding: try JSONEncoder().encode(records), as: UTF8.self)
  }

  @Test func aRecordFromANewerVersionIsKeptBesideTheReadableOnes() throws {
    let readable = try Self.storedJSON([Self.record("2025-06-01T09:00:00Z")])
    let data = "[" + Self.newer + "," + readable.dropFirst()
    let entries = DeployHistory.entries(in: Self.configMap(data: data))
    #expect(entries.count == 2)
    #expect(entries[0].record == nil)
    #expect(entries[1].record == Self.record("2025-06-01T09:00:00Z"))
  }

  @Test func rewritingTheHistoryWritesTheUnreadableRecordBackUnchanged() throws {
    let data = "[" + Self.newer + "]"
    let entries = DeployHistory.entries(in: Self.configMap(data: data))
    let manifest = try DeployHistory.configMap(
      entries: DeployHistory.adding(Self.record("2025-06-03T08:00:00Z"), to: entries), namespace: "monitoring",
      resourceVersion: "7")
    let written = try JSONValue.decode(manifest)
    let stored = try #require(written[path: "data", DeployHistory.dataKey]?.string)
    let list = try #require(try JSONValue.decode(Array(stored.utf8)).array)
    #expect(list.count == 2)
    #expect(list[1] == (try JSONValue.decode(Array(Self.newer.utf8))), "the newer record is written back as it was")
    #expect(list[0]["time"]?.string == "2025-06-03T08:00:00Z")
    #expect(written[path: "metadata", "resourceVersion"]?.string == "7")
  }

  @Test func aDataValueThatIsNotAListIsKeptWhole() {
    let entries = DeployHistory.entries(in: Self.configMap(data: "not json"))
    #expect(entries == [.unreadable(.string("not json"))])
  }

  @Test func theTableShowsUnreadableRecordsAsSuch() throws {
    let entries = DeployHistory.entries(in: Self.configMap(data: "[" + Self.newer + "]"))
    let table = DeployHistory.table(entries)
    let row = try #require(table.split(separator: "\n").dropFirst().first)
    #expect(row.contains("rolled-back (unknown)"), "\(table)")
    #expect(row.contains("2025-06-02T10:00:00Z") && row.contains("bo"), "\(table)")
    #expect(table.contains("1 record(s) not understood by this mtobs"), "\(table)")
  }

  @Test func theJSONOfAnUnreadableEntryIsTheStoredRecord() throws {
    let entry = DeployHistory.entries(in: Self.configMap(data: "[" + Self.newer + "]"))
    let encoded = try JSONValue.decode(Array(try JSONEncoder().encode(entry)))
    #expect(encoded == .array([try JSONValue.decode(Array(Self.newer.utf8))]))
  }

  @Test func theHistoryKeepsTheLastTwentyNewestFirst() {
    let old = (0..<25).map { DeployHistoryEntry.record(Self.record("old-\($0)")) }
    let kept = DeployHistory.adding(Self.record("new"), to: old)
    #expect(kept.count == 20)
    #expect(kept.first?.record?.time == "new")
    #expect(kept.last?.record?.time == "old-18")
  }

  @Test func aFirstRecordIsCreatedWithoutAResourceVersion() throws {
    let manifest = try JSONValue.decode(
      try DeployHistory.configMap(entries: [.record(Self.record("t"))], namespace: "monitoring"))
    #expect(manifest[path: "metadata", "resourceVersion"] == nil)
    #expect(manifest[path: "metadata", "namespace"]?.string == "monitoring")
  }

  @Test func aConflictingWriteIsReadAgainAndRetried() async throws {
    let kubectl = FakeHistoryKubectl(
      stored: try Self.storedJSON([Self.record("first")]),
      concurrentWrite: try Self.storedJSON([
        Self.record("concurrent"), Self.record("first"),
      ]))
    let kube = KubeClient(
      kubectl: "kubectl", target: KubeTarget(context: "dev", kubeconfig: nil, namespace: "monitoring"),
      runner: kubectl, timeout: .seconds(5))
    try await DeployHistoryWriter(kube: kube).add(Self.record("mine"))
    let times = DeployHistory.entries(in: kubectl.configMap).compactMap { $0.record?.time }
    #expect(times == ["mine", "concurrent", "first"])
    #expect(kubectl.verbs == ["get", "replace", "get", "get", "replace"], "read, conflict, re-read, read, write")
  }

  @Test func aFailureThatIsNotAConflictIsNotRetried() async throws {
    let kubectl = FakeHistoryKubectl(stored: nil, concurrentWrite: nil, refuseWrites: true)
    let kube = KubeClient(
      kubectl: "kubectl", target: KubeTarget(context: "dev", kubeconfig: nil, namespace: "monitoring"),
      runner: kubectl, timeout: .seconds(5))
    await #expect(throws: KubeError.self) { try await DeployHistoryWriter(kube: kube).add(Self.record("mine")) }
    #expect(kubectl.verbs == ["get", "create", "get"])
  }
}

/// kubectl for one ConfigMap with resourceVersion checks like the API server's; optionally another
/// writer commits `concurrentWrite` just before the first write lands.
final class FakeHistoryKubectl: ProcessRunning {
  private struct State {
    var data: String?
    var version = 1
    var concurrentWrite: String?
    var verbs: [String] = []
  }

  private let state: Mutex<State>
  private let refuseWrites: Bool

  init(stored: String?, concurrentWrite: String?, refuseWrites: Bool = false) {
    state = Mutex(State(data: stored, concurrentWrite: concurrentWrite))
    self.refuseWrites = refuseWrites
  }

  var verbs: [String] { state.withLock { $0.verbs } }

  var configMap: KubeObject? {
    state.withLock { state in
      state.data.map { DeployHistoryTests.configMap(data: $0, resourceVersion: String(state.version)) }
    }
  }

  func run(_ invocation: Invocation, timeout: Duration?) async throws -> ProcessResult {
    let verb = invocation.arguments.first { ["get", "create", "replace"].contains($0) } ?? "?"
    let body = invocation.standardInput.flatMap { try? JSONValue.decode($0) }
    return state.withLock { state in
      state.verbs.append(verb)
      switch verb {
      case "get":
        guard let data = state.data else { return Self.result(0, "") }
        let object = DeployHistoryTests.configMap(data: data, resourceVersion: String(state.version))
        return Self.result(0, String(decoding: (try? JSONEncoder().encode(object.raw)) ?? Data(), as: UTF8.self))
      default:
        if refuseWrites { return Self.result(1, "", error: "Error from server (Forbidden): configmaps is forbidden") }
        if let concurrent = state.concurrentWrite {
          state.concurrentWrite = nil
          state.data = concurrent
          state.version += 1
        }
        let given = body?[path: "metadata", "resourceVersion"]?.string
        if verb == "create", state.data != nil {
          return Self.result(1, "", error: "Error from server (AlreadyExists): configmaps \"x\" already exists")
        }
        if verb == "replace", given != String(state.version) {
          return Self.result(1, "", error: "Error from server (Conflict): the object has been modified")
        }
        state.data = body?[path: "data", DeployHistory.dataKey]?.string
        state.version += 1
        return Self.result(0, "configmap/mtobs-deployments replaced")
      }
    }
  }

  func stream(
    _ invocation: Invocation, timeout: Duration?, onLine: @escaping @Sendable (OutputLine) -> Void
  ) async throws -> StreamedResult {
    StreamedResult(termination: .exited(0), lastLines: [])
  }

  private static func result(_ code: Int32, _ output: String, error: String = "") -> ProcessResult {
    ProcessResult(termination: .exited(code), standardOutput: Array(output.utf8), standardError: Array(error.utf8))
  }
}

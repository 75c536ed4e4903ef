import Foundation
import Testing

@testable import MtobsCore

/// "Secret values are removed": each rule on a snapshot holding such a value, asserting that the
/// secret appears nowhere in the bundle's bytes.
@Suite("bundle redaction")
struct BundleRedactionTests {
  typealias S = HealthSnapshots

  /// A snapshot whose collector pod carries `args`, `env` and annotations, plus an event and a log tail.
  static func snapshot(
    args: [String] = [], command: [String] = [], env: [[String: Any]] = [], annotations: [String: String] = [:],
    eventMessage: String? = nil, logLines: [String] = [], probeBody: String? = nil
  ) -> Snapshot {
    var snapshot = S.healthy()
    snapshot.replace("Pod", S.collectorPod) { _ in
      S.object([
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": S.collectorPod, "namespace": S.namespace, "annotations": annotations],
        "spec": [
          "containers": [
            ["name": "collector", "image": "otel/collector:1", "args": args, "command": command, "env": env]
          ]
        ],
        "status": ["phase": "Running"],
      ])
    }
    if let eventMessage {
      snapshot.events = .success([
        S.object(["kind": "Event", "metadata": ["name": "e1", "namespace": S.namespace], "message": eventMessage])
      ])
    }
    snapshot.logs = [LogTail(pod: S.collectorPod, container: "collector", lines: logLines)]
    if let probeBody {
      snapshot.setProbe(S.probe("grafana.health", "service/lgtm-grafana:80", "/api/health", probeBody))
    }
    return snapshot
  }

  static func encoded(_ snapshot: Snapshot) throws -> String {
    String(decoding: try BundleFile.encode(snapshot), as: UTF8.self)
  }

  /// The secret is gone and the marker took its place.
  static func expectRemoved(
    _ secret: String, from snapshot: Snapshot, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    let text = try encoded(snapshot)
    #expect(!text.contains(secret), "'\(secret)' is still in the bundle", sourceLocation: sourceLocation)
    #expect(text.contains(BundleRedaction.marker), sourceLocation: sourceLocation)
  }

  // MARK: - Container args and commands

  @Test(arguments: [
    ["--password=hunter2-arg"], ["--token", "hunter2-arg"], ["-token", "hunter2-arg"], ["--client-secret=hunter2-arg"],
    ["--api-key", "hunter2-arg"], ["--header=Authorization: Bearer hunter2-arg"],
    ["-e", "GF_SECURITY_ADMIN_PASSWORD=hunter2-arg"], ["--set", "auth.token=hunter2-arg"],
    ["--endpoint=https://admin:hunter2-arg@mimir.example:443/api"], ["--url", "redis://:hunter2-arg@redis:6379"],
    ["--config=extensions.auth.apikey='hunter2-arg'"],
  ])
  func argsThatLookLikeCredentials(args: [String]) throws {
    try Self.expectRemoved("hunter2-arg", from: Self.snapshot(args: args))
  }

  @Test func headerValuesGoWhateverTheHeadersName() {
    let configuration = JSONValue.object([
      "kind": .string("Configuration"),
      "spec": .object([
        "tracing": .object([
          "otel": .object([
            "headers": .array([
              .object(["name": .string("Authorization"), "value": .string("Basic dXNlcjpwYXNz")]),
              .object(["name": .string("x-honeycomb-team"), "value": .string("hcxik_01SECRETVALUE")]),
            ])
          ])
        ])
      ]),
    ])
    let text = "\(BundleRedaction.sanitize(configuration))"
    #expect(!text.contains("dXNlcjpwYXNz") && !text.contains("hcxik_01SECRETVALUE"), "\(text)")
    #expect(text.contains("x-honeycomb-team"), "the names stay: \(text)")
    // An env var named like the header goes too.
    let env = BundleRedaction.sanitize(.object(["name": .string("Authorization"), "value": .string("Basic abc")]))
    #expect(env["value"] == BundleRedaction.redacted)
  }

  @Test func aCommandLineInOneString() throws {
    try Self.expectRemoved(
      "hunter2-cmd",
      from: Self.snapshot(command: ["sh", "-c", "exec otelcol --token hunter2-cmd --config /etc/otel.yaml"]))
  }

  @Test func harmlessArgsAreKept() throws {
    let text = try Self.encoded(Self.snapshot(args: ["--config", "/etc/otel/config.yaml", "--feature-gates=-a,+b"]))
    #expect(text.contains("/etc/otel/config.yaml"))
    #expect(text.contains("--feature-gates=-a,+b"))
  }

  // MARK: - Environment

  @Test(arguments: ["DB_PASSWORD", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "S3_ACCESS_KEY", "ApiKey", "SMTP_PASS"])
  func envValuesOfSecretNames(name: String) throws {
    try Self.expectRemoved("hunter2-env", from: Self.snapshot(env: [["name": name, "value": "hunter2-env"]]))
  }

  @Test func passwordsInsideURLsOfAnyEnvValue() throws {
    let snapshot = Self.snapshot(env: [["name": "DATABASE_URL", "value": "postgres://app:hunter2-url@db:5432/app"]])
    try Self.expectRemoved("hunter2-url", from: snapshot)
    #expect(try Self.encoded(snapshot).contains("postgres://app:<redacted by mtobs>@db:5432/app"), "the rest stays")
  }

  @Test func harmlessEnvValuesAreKept() throws {
    let text = try Self.encoded(Self.snapshot(env: [["name": "GOMEMLIMIT", "value": "400MiB"]]))
    #expect(text.contains("400MiB"))
  }

  // MARK: - Annotations

  @Test(arguments: ["example.com/api-token", "vault.hashicorp.com/secret", "grafana/admin-password"])
  func annotationsWithSecretLookingKeys(key: String) throws {
    try Self.expectRemoved("hunter2-annotation", from: Self.snapshot(annotations: [key: "hunter2-annotation"]))
  }

  @Test func urlPasswordsInOtherAnnotations() throws {
    try Self.expectRemoved(
      "hunter2-annotation", from: Self.snapshot(annotations: ["example.com/upstream": "https://u:hunter2-annotation@h"])
    )
  }

  // MARK: - Events, log lines and probe answers

  @Test func eventMessagesWithURLPasswords() throws {
    try Self.expectRemoved(
      "hunter2-event",
      from: Self.snapshot(eventMessage: "Failed to pull image: Get \"https://bot:hunter2-event@registry.example/v2/\""))
  }

  @Test(arguments: [
    "level=info msg=\"login\" password=hunter2-log user=bob", "connecting with token=hunter2-log",
    "secret=hunter2-log", "apikey=hunter2-log", "GET /api?x=1&token=hunter2-log&y=2",
    "Authorization: Bearer hunter2-log",
    #"{"level":"info","password":"hunter2-log"}"#, "dial https://user:hunter2-log@loki:3100/push failed",
    "password=\"hunter2-log and more\"",
  ])
  func logLines(line: String) throws {
    try Self.expectRemoved("hunter2-log", from: Self.snapshot(logLines: ["2026-11-22T10:00:00Z ok", line]))
  }

  @Test func logLinesKeepWhatIsNotSecret() throws {
    let line = "2026-11-22T10:00:00Z level=warn caller=exporter.go:42 msg=\"retrying\" endpoint=loki:3100"
    let text = try Self.encoded(Self.snapshot(logLines: [line]))
    #expect(text.contains(line.replacingOccurrences(of: "\"", with: "\\\"")))
  }

  @Test func probeAnswers() throws {
    try Self.expectRemoved("hunter2-probe", from: Self.snapshot(probeBody: #"{"url":"http://a:hunter2-probe@b"}"#))
  }

  // MARK: - What was already removed

  @Test func secretDataAndLastAppliedConfiguration() throws {
    var snapshot = S.healthy()
    snapshot.replace("Secret", "creds") { _ in
      S.object([
        "kind": "Secret", "data": ["pw": "aHVudGVyMi1kYXRh"], "stringData": ["pw": "hunter2-data"],
        "metadata": [
          "name": "creds", "namespace": S.namespace, "managedFields": [["manager": "hunter2-managed"]],
          "annotations": ["kubectl.kubernetes.io/last-applied-configuration": "{\"hunter2-applied\":1}"],
        ],
      ])
    }
    for secret in ["aHVudGVyMi1kYXRh", "hunter2-data", "hunter2-managed", "hunter2-applied"] {
      #expect(!(try Self.encoded(snapshot)).contains(secret), "\(secret)")
    }
  }

  // MARK: - The file

  @Test func theWrittenFileIsReadableByItsOwnerOnly() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mtobs-bundle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("bundle.json").path
    try BundleFile.write(Self.snapshot(args: ["--password=hunter2-file"]), to: path)
    let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    #expect(mode == 0o600)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!text.contains("hunter2-file"))
    #expect(try BundleFile.load(path: path).namespace == S.namespace, "the file reads back as a bundle")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["bundle.json"], "no temporary left")
  }

  @Test func redactionKeepsHealthVerdicts() throws {
    let snapshot = S.lokiNotReadyAndLogExportFailing()
    let decoded = try BundleFile.decode(try BundleFile.encode(snapshot), path: "b.json")
    #expect(HealthChecks.evaluate(decoded) == HealthChecks.evaluate(snapshot))
  }
}

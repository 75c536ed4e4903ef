import Foundation
import Testing

@testable import KubeStandIn

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The pieces on their own, without kubectl.
struct SelectorTests {
  @Test(
    arguments: [
      ("app=web", ["app": "web"], true),
      ("app==web", ["app": "web"], true),
      ("app!=web", ["app": "db"], true),
      ("app!=web", [:], true),
      ("app in (web, db)", ["app": "db"], true),
      ("app in (web,db)", ["app": "cache"], false),
      ("app notin (web)", [:], true),
      ("app notin (web)", ["app": "web"], false),
      ("app", ["app": ""], true),
      ("!app", ["app": "x"], false),
      ("app=web,tier=front", ["app": "web", "tier": "back"], false),
      ("app=web, tier in (front,back)", ["app": "web", "tier": "back"], true),
      ("", ["anything": "at all"], true),
      ("size>3", ["size": "4"], true),
    ] as [(String, [String: String], Bool)])
  func labelSelectors(selector: String, labels: [String: String], matches: Bool) throws {
    #expect(try LabelSelector(parsing: selector).matches(labels) == matches)
  }

  @Test func badLabelSelectorsAreRejected() {
    #expect(throws: SelectorError.self) { try LabelSelector(parsing: "app in web") }
    #expect(throws: SelectorError.self) { try LabelSelector(parsing: "a=b,,c=d") }
  }

  @Test func fieldSelectors() throws {
    let pod: JSONValue = ["metadata": ["name": "a", "namespace": "ns"], "status": ["phase": "Running"]]
    #expect(try FieldSelector(parsing: "metadata.name=a,metadata.namespace==ns").matches(pod))
    #expect(try FieldSelector(parsing: "status.phase!=Running").matches(pod) == false)
    #expect(try FieldSelector(parsing: "spec.nodeName=").matches(pod))
  }
}

struct DocumentTests {
  @Test func jsonRoundTrip() throws {
    let text = #"{"a":[1,2.5,"x\n\u00e9",true,null],"b":{"c":-3}}"#
    let value = try JSONValue.parse(text)
    #expect(value[path: "b", "c"] == .int(-3))
    #expect(value["a"]?.array?[1] == .double(2.5))
    #expect(try JSONValue.parse(value.serialized()) == value)
    #expect(throws: JSONParseError.self) { try JSONValue.parse("{\"a\":}") }
  }

  @Test func yamlKeepsTypesAndQuotesStringsThatLookLikeOthers() throws {
    let value: JSONValue = ["version": "2", "flag": "true", "n": 2, "when": "2024-01-01T00:00:00Z", "empty": ""]
    let reread = try JSONValue.parseYAML(try value.yaml())
    #expect(reread == value)
  }

  @Test func multiDocumentsAndListsLoad() throws {
    let state = try ClusterState(yaml: Scenario.yaml)
    #expect(state.objects(kind: "Pod").count == 5)
    let namespaces = state.objects(kind: "Namespace").compactMap { $0[path: "metadata", "name"]?.string }
    #expect(namespaces.contains("shop"))
    let configuration = try #require(state.object(kind: "Configuration", name: "tracing", namespace: "shop"))
    #expect(configuration["apiVersion"] == "dapr.io/v1alpha1")
    let exported = state.exportList()
    let copy = ClusterState(namespaces: [])
    try copy.add(exported)
    #expect(copy.objects().count == state.objects().count)
  }

  @Test func mergePatch() {
    let target: JSONValue = ["a": 1, "b": ["c": 2, "d": 3], "e": [1, 2]]
    let patched = Patch.merge(target, ["b": ["c": nil, "x": 9], "e": [3]])
    #expect(patched == ["a": 1, "b": ["d": 3, "x": 9], "e": [3]])
  }

  @Test func strategicMergePatchMergesNamedListsLikeKubectlExpects() {
    let target: JSONValue = [
      "spec": [
        "containers": [
          ["name": "app", "image": "v1", "ports": [["containerPort": 80]]], ["name": "side", "image": "s1"],
        ]
      ]
    ]
    let patch: JSONValue = [
      "spec": [
        "$setElementOrder/containers": [["name": "app"], ["name": "side"]],
        "containers": [["name": "app", "image": "v2"]],
      ]
    ]
    let patched = Patch.strategic(target, patch)
    #expect(patched?[path: "spec", "containers"]?.array?.count == 2)
    #expect(patched?[path: "spec", "containers"]?.array?[0]["image"] == "v2")
    #expect(patched?[path: "spec", "containers"]?.array?[0]["ports"] != nil)
    #expect(patched?[path: "spec", "$setElementOrder/containers"] == nil)
  }

  @Test func jsonPatch() throws {
    let target: JSONValue = ["metadata": ["labels": ["a": "1"]], "list": [1, 2]]
    let patched = try Patch.jsonPatch(
      target,
      [
        ["op": "add", "path": "/metadata/labels/b", "value": "2"], ["op": "remove", "path": "/list/0"],
        ["op": "replace", "path": "/metadata/labels/a", "value": "x"],
      ])
    #expect(patched == ["metadata": ["labels": ["a": "x", "b": "2"]], "list": [2]])
  }
}

struct ProtobufTests {
  /// `kubectl create configmap lit --from-literal=x=y` as kubectl 1.32 sends it.
  static let configMapBody: [UInt8] = [
    0x6B, 0x38, 0x73, 0x00, 0x0A, 0x0F, 0x0A, 0x02, 0x76, 0x31, 0x12, 0x09, 0x43, 0x6F, 0x6E, 0x66, 0x69, 0x67, 0x4D,
    0x61, 0x70, 0x12, 0x1D, 0x0A, 0x13, 0x0A, 0x03, 0x6C, 0x69, 0x74, 0x12, 0x00, 0x1A, 0x00, 0x22, 0x00, 0x2A, 0x00,
    0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x06, 0x0A, 0x01, 0x78, 0x12, 0x01, 0x79, 0x1A, 0x00, 0x22, 0x00,
  ]

  @Test func decodesAConfigMapFromKubectl() throws {
    let object = try Protobuf.decodeObject(Self.configMapBody)
    #expect(object == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "lit"], "data": ["x": "y"]])
  }

  @Test func rejectsBodiesWithoutTheEnvelope() {
    #expect(throws: Protobuf.DecodeError.self) { try Protobuf.decodeObject(Array("{}".utf8)) }
  }
}

struct JSONPatchTests {
  @Test func removeDropsTheKeyRatherThanNullingIt() throws {
    let document: JSONValue = .object(["data": .object(["a": .string("1"), "b": .string("2")])])
    let patched = try Patch.jsonPatch(
      document, .array([.object(["op": .string("remove"), "path": .string("/data/a")])]))
    #expect(patched == .object(["data": .object(["b": .string("2")])]))
  }
}

struct StateFileTests {
  static let text = """
    serverVersion: v1.31.2
    objects:
      - {apiVersion: v1, kind: Service, metadata: {name: api, namespace: shop}, spec: {ports: [{port: 80}]}}
    types:
      - {group: example.com, version: v1, kind: Widget, plural: widgets, shortNames: [wd]}
    proxy:
      - {namespace: shop, name: api, port: 80, path: /healthz, body: ok, contentType: text/plain, delayMs: 5}
      - {namespace: shop, kind: pod, name: api-0, json: {up: true}}
    logs:
      - namespace: shop
        pod: api-0
        container: api
        lines: [now, {text: old, ageSeconds: 600}]
    behavior:
      delayMs: 100
      user: bob
      rules:
        - {resource: secrets, action: forbidden}
        - {pathPrefix: /apis/apps, action: delay, delayMs: 50, limit: 2}
        - {path: /version, status: 503}
    """

  @Test func parseAndExportRoundTrip() throws {
    let scenario = try StateFile.parse(Self.text)
    #expect(scenario.state.serverVersion == "v1.31.2")
    #expect(scenario.behavior.delay == .milliseconds(100))
    #expect(scenario.behavior.user == "bob")
    #expect(scenario.behavior.rules.count == 3)
    #expect(scenario.behavior.rules[2].action == .status(503))
    #expect(scenario.behavior.rules[1].limit == 2)
    #expect(scenario.state.proxyAnswers.count == 2)
    #expect(scenario.state.proxyAnswers[0].port == "80")
    #expect(scenario.state.proxyAnswers[1].body == Array(#"{"up":true}"#.utf8))
    #expect(scenario.state.logLines(namespace: "shop", pod: "api-0", container: "api").map(\.text) == ["now", "old"])
    #expect(scenario.state.resourceTypes.contains { $0.kind == "Widget" && $0.shortNames == ["wd"] })

    let exported = try StateFile.export(state: scenario.state, behavior: scenario.behavior)
    let again = try StateFile.parse(exported)
    #expect(again.behavior == scenario.behavior)
    #expect(again.state.proxyAnswers == scenario.state.proxyAnswers)
    let before = scenario.state.logLines(namespace: "shop", pod: "api-0", container: "api")
    let after = again.state.logLines(namespace: "shop", pod: "api-0", container: "api")
    #expect(after.map(\.text) == before.map(\.text))
    #expect(zip(after, before).allSatisfy { abs($0.time.timeIntervalSince($1.time)) < 0.001 })
    #expect(again.state.objects().count == scenario.state.objects().count)
  }

  @Test func aBareStateFileNameResolvesItsObjectFilesInTheCurrentDirectory() {
    #expect(StateFile.baseDirectory(of: "state.yaml") == ".")
    #expect(StateFile.baseDirectory(of: "cases/state.yaml") == "cases")
    #expect(StateFile.baseDirectory(of: "/tmp/state.yaml") == "/tmp")
  }

  @Test func badStateFilesSayWhy() {
    #expect(throws: StandInError.self) { try StateFile.parse("behavior: {rules: [{action: explode}]}") }
    #expect(throws: StandInError.self) { try StateFile.parse("objects: [{kind: Pod}]") }
  }
}

/// HTTP-level checks with URLSession: Status objects, discovery, watch timeouts, stream clean-up.
struct HTTPTests {
  func get(
    _ server: StandInAPIServer, _ path: String, accept: String = "application/json"
  ) async throws -> (Int, String, String) {
    var request = URLRequest(url: URL(string: server.url + path)!)
    request.setValue(accept, forHTTPHeaderField: "Accept")
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    return (
      http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self)
    )
  }

  @Test func statusObjectsAndDiscovery() async throws {
    let server = StandInAPIServer(state: try Scenario.state())
    try await server.start()
    defer { Task { try? await server.stop() } }

    let (code, _, body) = try await get(server, "/api/v1/namespaces/shop/pods/nope")
    #expect(code == 404)
    let status = try JSONValue.parse(body)
    #expect(status["kind"] == "Status")
    #expect(status["reason"] == "NotFound")
    #expect(status["message"] == "pods \"nope\" not found")
    #expect(status["details"] == ["name": "nope", "kind": "pods"])
    #expect(status["code"] == 404)

    let (_, type, aggregated) = try await get(
      server, "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
    #expect(type == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
    let groups =
      try JSONValue.parse(aggregated)["items"]?.array?.compactMap { $0[path: "metadata", "name"]?.string } ?? []
    #expect(groups.contains("apps") && groups.contains("dapr.io") && groups.contains("authorization.k8s.io"))

    let (_, _, legacy) = try await get(server, "/api/v1")
    let resources = try JSONValue.parse(legacy)["resources"]?.array?.compactMap { $0["name"]?.string } ?? []
    #expect(
      resources.contains("pods/log") && resources.contains("services/proxy") && resources.contains("pods/portforward"))

    let (_, _, list) = try await get(server, "/api/v1/pods?labelSelector=tier%3Dbackend")
    let parsed = try JSONValue.parse(list)
    #expect(parsed["kind"] == "PodList")
    #expect(parsed[path: "metadata", "resourceVersion"]?.string == server.state.resourceVersion)
    #expect(parsed["items"]?.array?.count == 3)
  }

  @Test func proxyFailuresAreStatusObjectsAndBackendAnswersPassVerbatim() async throws {
    let state = try Scenario.state()
    let notReady = "Ingester not ready: waiting for 15s after being ready\n"
    state.setProxyAnswer(
      namespace: "monitoring", name: "prometheus", port: 9090, path: "/ready", status: 503, body: notReady,
      contentType: "text/plain")
    let server = StandInAPIServer(state: state)
    try await server.start()
    defer { Task { try? await server.stop() } }

    let (missingCode, _, missingBody) = try await get(server, "/api/v1/namespaces/monitoring/services/gone:80/proxy/")
    #expect(missingCode == 404)
    #expect(
      try JSONValue.parse(missingBody) == [
        "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
        "message": "services \"gone\" not found", "reason": "NotFound", "code": 404,
        "details": ["name": "gone", "kind": "services"],
      ])

    let (portCode, _, portBody) = try await get(server, "/api/v1/namespaces/monitoring/services/prometheus:1/proxy/")
    #expect(portCode == 503)
    let portStatus = try JSONValue.parse(portBody)
    #expect(portStatus["kind"] == "Status" && portStatus["status"] == "Failure")
    #expect(portStatus["reason"] == "ServiceUnavailable" && portStatus["code"] == 503)
    #expect(portStatus["message"] == "no service port 1 found for service \"prometheus\"")

    let (code, type, body) = try await get(server, "/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/ready")
    #expect(code == 503)
    #expect(type == "text/plain")
    #expect(body == notReady)
  }

  @Test func discoveryHasNoDaprGroupOnABareCluster() async throws {
    let server = StandInAPIServer(state: ClusterState())
    try await server.start()
    defer { Task { try? await server.stop() } }
    let (_, _, aggregated) = try await get(
      server, "/apis", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
    let groups =
      try JSONValue.parse(aggregated)["items"]?.array?.compactMap { $0[path: "metadata", "name"]?.string } ?? []
    #expect(groups.contains("apps"))
    #expect(!groups.contains("dapr.io"), "\(groups)")
    let (_, _, legacy) = try await get(server, "/apis")
    let legacyGroups = try JSONValue.parse(legacy)["groups"]?.array?.compactMap { $0["name"]?.string } ?? []
    #expect(legacyGroups.contains("apps") && !legacyGroups.contains("dapr.io"), "\(legacyGroups)")
    let (code, _, _) = try await get(server, "/apis/dapr.io/v1alpha1/namespaces/default/configurations")
    #expect(code == 404)
  }

  @Test func watchHonoursTimeoutSecondsAndLeavesNothingBehind() async throws {
    let server = StandInAPIServer(state: try Scenario.state())
    try await server.start()
    defer { Task { try? await server.stop() } }
    let started = ContinuousClock.now
    let (code, _, body) = try await get(server, "/api/v1/namespaces/shop/pods?watch=true&timeoutSeconds=1")
    #expect(code == 200)
    #expect(ContinuousClock.now - started >= .seconds(1))
    let events = body.split(separator: "\n").map { try? JSONValue.parse(String($0)) }
    #expect(events.count == 1)
    #expect(events.first??["type"] == "ADDED")
    #expect(await eventually { server.state.openStreamCount == 0 })
  }
}

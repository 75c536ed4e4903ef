import Foundation

/// One data source Grafana has provisioned, and what Grafana's own health check said of it.
public struct DatasourceHealth: Sendable, Equatable, Codable {
  public var name: String
  public var uid: String
  public var type: String
  /// Grafana's `OK` or `ERROR`; nil when the data source has no health check (Grafana said so).
  public var status: String?
  /// Grafana's own words ("Data source is working", "…connection refused").
  public var message: String?

  public init(name: String, uid: String, type: String, status: String?, message: String?) {
    self.name = name
    self.uid = uid
    self.type = type
    self.status = status
    self.message = message
  }
}

/// Asks Grafana, with the admin credentials from its Secret and through a short-lived tunnel
/// (the API server's proxy consumes the `Authorization` header), for its data sources and each
/// one's health. The credentials go only into the requests' header: never into results, events,
/// `-v` echoes or bundles.
public enum GrafanaDatasources {
  /// What the errand found.
  public enum Outcome: Sendable, Equatable {
    case checked([DatasourceHealth])
    /// The Secret could not be read: the check is skipped with this reason.
    case noCredentials(message: String, hint: String)
    /// The tunnel or Grafana's API failed.
    case failed(message: String, hint: String)
  }

  /// The Secret's credentials, read ahead (beside the stack's discovery) by callers in a hurry.
  public typealias Credentials = Task<Result<GrafanaCredentials, CommandFailure>, Never>

  /// Starts reading the Secret now.
  public static func readCredentials(kube: KubeClient, secret: String) -> Credentials {
    Task { await GrafanaCredentials.read(kube: kube, secret: secret) }
  }

  /// Reads the Secret (unless `credentials` were read ahead), opens the tunnel to
  /// `service:port`, asks, closes; within `limit`.
  public static func check(
    kube: KubeClient, service: String, port: Int, secret: String, limit: Duration,
    requestTimeout: Duration = .seconds(5), credentials readAhead: Credentials? = nil
  ) async -> Outcome {
    let credentials: GrafanaCredentials
    let read = await (readAhead ?? readCredentials(kube: kube, secret: secret)).value
    switch read {
    case .success(let found): credentials = found
    case .failure(let failure): return .noCredentials(message: failure.errorMessage, hint: failure.errorHint)
    }
    let spec = ForwardSpec(
      name: "grafana", role: .grafana, service: service, servicePort: port, localPort: 0,
      probe: .http(path: "/api/health"))
    let result = await ShortLivedTunnel.run(spec: spec, kube: kube, limit: limit) { localPort in
      await ask(port: localPort, credentials: credentials, secret: secret, timeout: requestTimeout)
    }
    switch result {
    case .success(let outcome): return outcome
    case .failure(let failure): return .failed(message: failure.message, hint: failure.hint)
    }
  }

  /// The two calls, on a port that leads to Grafana: the list, then every health check at once.
  static func ask(port: Int, credentials: GrafanaCredentials, secret: String, timeout: Duration) async -> Outcome {
    let headers = [("Authorization", basicAuthorization(credentials)), ("Accept", "application/json")]
    let listing = await TunnelProbe.get(port: port, path: "/api/datasources", timeout: timeout, headers: headers)
    let answer: TunnelProbe.Answer
    switch listing {
    case .failure(let failure):
      return .failed(message: "GET /api/datasources: \(failure.reason)", hint: "rerun; mtobs grafana opens Grafana")
    case .success(let got): answer = got
    }
    if answer.status == 401 || answer.status == 403 {
      return .failed(
        message: "Grafana refused the admin credentials of Secret '\(secret)' (HTTP \(answer.status))",
        hint: "Grafana keeps the password it first started with; reset it with "
          + "`grafana cli admin reset-admin-password` in its pod, or fix 'grafana.secret' in mtobs.yaml")
    }
    guard answer.status == 200 else {
      return .failed(
        message: "GET /api/datasources: HTTP \(answer.status) \(firstLine(answer.body))",
        hint: "mtobs logs grafana")
    }
    guard let sources = parseList(answer.body) else {
      return .failed(
        message: "GET /api/datasources: not a JSON list: \(firstLine(answer.body))", hint: "mtobs logs grafana")
    }
    let checked = await withTaskGroup(of: (Int, DatasourceHealth).self) { group in
      for (index, source) in sources.enumerated() {
        group.addTask {
          let path = "/api/datasources/uid/\(percentEncoded(source.uid))/health"
          let health = await TunnelProbe.get(port: port, path: path, timeout: timeout, headers: headers)
          return (index, judged(source, health))
        }
      }
      var results: [(Int, DatasourceHealth)] = []
      for await result in group { results.append(result) }
      return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
    return .checked(checked)
  }

  static func basicAuthorization(_ credentials: GrafanaCredentials) -> String {
    "Basic " + Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
  }

  /// `GET /api/datasources`: name, uid and type of each (an entry without uid cannot be asked).
  static func parseList(_ body: [UInt8]) -> [DatasourceHealth]? {
    guard let list = (try? JSONValue.decode(body))?.array else { return nil }
    return list.compactMap { entry in
      guard let uid = entry["uid"]?.string, !uid.isEmpty else { return nil }
      return DatasourceHealth(
        name: entry["name"]?.string ?? uid, uid: uid, type: entry["type"]?.string ?? "", status: nil, message: nil)
    }
  }

  /// One health answer: `{"status": "OK"|"ERROR", "message": …}` (200 or 400), or a data source
  /// whose plugin has no health check, or no answer.
  static func judged(_ source: DatasourceHealth, _ health: Result<TunnelProbe.Answer, ProbeFailure>) -> DatasourceHealth
  {
    var result = source
    switch health {
    case .failure(let failure):
      result.status = "ERROR"
      result.message = "no answer from Grafana's health check: \(failure.reason)"
    case .success(let answer):
      let json = try? JSONValue.decode(answer.body)
      let status = json?["status"]?.string?.uppercased()
      let message = json?["message"]?.string
      if let status {
        result.status = status
        result.message = message
      } else if answer.status == 404 || answer.status == 501 {
        result.status = nil
        result.message = message ?? "no health check for this data source type"
      } else {
        result.status = "ERROR"
        result.message = "HTTP \(answer.status): \(message ?? firstLine(answer.body))"
      }
    }
    return result
  }

  static func firstLine(_ body: [UInt8]) -> String {
    let text = String(decoding: body.prefix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.split(separator: "\n").first.map(String.init) ?? "(empty answer)"
  }

  static func percentEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
      ?? text
  }

  /// The outcome as the probe `grafana.datasources` (or `grafana.credentials` when the Secret
  /// could not be read) that health's and verify's checks judge, and bundles keep.
  public static func probe(
    _ outcome: Outcome, service: String, port: Int, secret: String, durationMs: Int
  ) -> Probe {
    let target = "service/\(service):\(port)"
    switch outcome {
    case .checked(let sources):
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      let body = (try? encoder.encode(sources)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
      return Probe(
        id: "grafana.datasources", target: target, path: "/api/datasources", statusCode: 200,
        body: body, error: nil, durationMs: durationMs)
    case .noCredentials(let message, let hint):
      return Probe(
        id: "grafana.credentials", target: "secret/\(secret)", path: "", statusCode: nil, body: nil,
        error: ReadError(reason: .failed, message: message, hint: hint), durationMs: durationMs)
    case .failed(let message, let hint):
      return Probe(
        id: "grafana.datasources", target: target, path: "/api/datasources", statusCode: nil, body: nil,
        error: ReadError(reason: .failed, message: message, hint: hint), durationMs: durationMs)
    }
  }
}

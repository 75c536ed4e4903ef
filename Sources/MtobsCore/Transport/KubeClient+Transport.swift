import AsyncHTTPClient
import Foundation
import NIOCore

/// `KubeClient`'s reads over the run's `kubectl proxy`: API paths, bounded answers, and failures
/// worded from the real status and body (`APIFailure`) or from what kept the answer away.
extension KubeClient {
  /// How long the first request waits for `kubectl proxy` to serve (it may first ask the API
  /// server for its version, as some kubectl wrappers do).
  var proxyStartLimit: Duration { timeout + .seconds(5) }

  /// Starts the run's `kubectl proxy` without waiting for it (see `KubeTransport.prepare`): for
  /// commands that have work to do before their first request.
  public func connect() {
    guard let transport else { return }
    transport.prepare(kubectl: kubectl, target: target, runner: runner)
  }

  /// GET `path`; a non-2xx answer becomes the `KubeError` its status and body call for.
  func apiGet(_ path: String, what: String) async throws -> [UInt8] {
    let response = try await fetch(path, what: what)
    guard response.succeeded else { throw failure(response, path: path, what: what) }
    return response.body
  }

  func failure(_ response: APIResponse, path: String, what: String) -> KubeError {
    let request = APIRequest(path: path, what: what)
    return APIFailure.classify(
      status: response.status, body: response.body, headers: response.headers, request: request
    )
    .kubeError(target: target, request: request)
  }

  /// GET `path` over the proxy, whatever the status; what kept an answer away is a `KubeError`.
  func fetch(_ path: String, what: String) async throws -> APIResponse {
    guard let transport else {
      throw KubeError(.failed, "\(what): no connection to the cluster", hint: "report it")
    }
    let socket = try await transport.socket(
      kubectl: kubectl, target: target, runner: runner, startLimit: proxyStartLimit)
    let isBackend = ProxyTarget(path: path) != nil
    let limit = isBackend ? KubeTransport.backendBodyLimit : KubeTransport.bodyLimit
    do {
      return try await transport.get(path, socket: socket, timeout: timeout, limit: limit)
    } catch let error as KubeError {
      throw error
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      if Task.isCancelled { throw CancellationError() }
      throw await wordedFailure(error, path: path, what: what, limit: limit, socket: socket, transport: transport)
    }
  }

  private func wordedFailure(
    _ error: any Error, path: String, what: String, limit: Int, socket: String, transport: KubeTransport
  ) async -> KubeError {
    if error is NIOTooManyBytesError {
      let size = "\(limit >> 20) MiB"
      if let proxy = ProxyTarget(path: path) {
        return KubeError(
          .invalidResponse, "\(proxy.spoken) answered more than \(size) (\(what)); reading stopped there",
          hint: "an endpoint for readiness or metrics should be far smaller; look at it with "
            + "`kubectl get --raw '\(path)' | head -c 2000`")
      }
      return KubeError(
        .invalidResponse, "the API server's answer is larger than \(size) (\(what)); reading stopped there",
        hint: "narrow the namespace (-n); report it if this namespace really holds that much")
    }
    if let error = error as? HTTPClientError,
      [HTTPClientError.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error)
    {
      return KubeError(
        .timeout, "the API server did not answer within \(DurationText.format(timeout)) (\(what))",
        hint: "check the network path to the cluster with `kubectl cluster-info`, \(KubeError.raiseTimeout)")
    }
    if let ended = await transport.proxyEnded(socket: socket) {
      return KubeError(
        .failed, "kubectl proxy ended during the run (\(ended)), so \(what) got no answer",
        hint: "rerun; -v shows the kubectl proxy command, to try by hand")
    }
    return KubeError(
      .failed, "\(what) failed on the way to kubectl proxy: \(error)",
      hint: "rerun with -v; if it persists, report it")
  }

  /// The API path of `kind`, or nil when only kubectl knows the name (then kubectl runs).
  func resource(named kind: String) async throws -> APIResource? {
    if let resource = APIResource.builtin(kind) { return resource }
    guard let transport, let (plural, group) = APIResource.groupedName(kind) else { return nil }
    if let cached = transport.cachedResource(kind, target: target) { return cached }
    let what = "finding the API of \(kind)"
    let missing = KubeError(
      .notFound, "the server doesn't have a resource type \"\(kind)\"",
      hint: "list what the cluster serves with `kubectl api-resources`")
    // The group's preferred version, then whether the resource is namespaced.
    let groupAnswer = try await fetch("/apis/\(group)", what: what)
    if groupAnswer.status == 404 { throw missing }
    guard groupAnswer.succeeded else { throw failure(groupAnswer, path: "/apis/\(group)", what: what) }
    guard let version = try? JSONValue.decode(groupAnswer.body)[path: "preferredVersion", "version"]?.string else {
      throw KubeError(.invalidResponse, "\(what): the API server's answer names no version", hint: "report it")
    }
    let listing = try await apiGet("/apis/\(group)/\(version)", what: what)
    let entry = (try? JSONValue.decode(listing))?["resources"]?.array?.first { $0["name"]?.string == plural }
    guard let entry else { throw missing }
    let resource = APIResource(
      group: group, version: version, plural: plural, namespaced: entry["namespaced"]?.bool ?? true)
    transport.cacheResource(resource, for: kind, target: target)
    return resource
  }

  /// Lists every kind at once, one request each; nil when a kind is one only kubectl knows.
  func listOverTransport(kinds: [String], namespace: String?, labelSelector: String?) async throws -> [KubeObject]? {
    var resources: [APIResource] = []
    for kind in kinds {
      guard let resource = try await resource(named: kind) else { return nil }
      resources.append(resource)
    }
    let query = labelSelector.map { "?labelSelector=\(Self.queryValue($0))" } ?? ""
    let what = "listing \(kinds.joined(separator: ","))"
    return try await withThrowingTaskGroup(of: (Int, [KubeObject]).self) { group in
      for (index, resource) in resources.enumerated() {
        group.addTask {
          do {
            let body = try await apiGet(resource.path(namespace: namespace) + query, what: what)
            return (index, try Self.listItems(body))
          } catch let error as KubeError where error.failure?.kind == .notFound {
            // A collection that is not there is a kind the cluster does not serve (a CRD not installed).
            throw KubeError(
              .notFound, "the server doesn't have a resource type \"\(kinds[index])\"",
              hint: "list what the cluster serves with `kubectl api-resources`", failure: error.failure)
          }
        }
      }
      var lists: [(Int, [KubeObject])] = []
      for try await list in group { lists.append(list) }
      return lists.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
  }

  func getOverTransport(_ resource: APIResource, name: String, namespace: String?) async throws -> KubeObject? {
    let path = resource.path(namespace: resource.namespaced ? namespace ?? target.namespace : nil, name: name)
    let what = "reading \(resource.plural)/\(name)"
    let response = try await fetch(path, what: what)
    guard response.succeeded else {
      let error = failure(response, path: path, what: what)
      // The object is not there (a Status with reason NotFound); a missing kind is an error.
      if error.failure?.kind == .notFound,
        (try? JSONValue.decode(response.body))?["reason"]?.string == "NotFound"
      {
        return nil
      }
      throw error
    }
    guard let json = try? JSONValue.decode(response.body) else {
      throw KubeError(.invalidResponse, "\(what): the API server's answer is not JSON", hint: "rerun with -v")
    }
    return KubeObject(json)
  }

  /// `/version` over the proxy, as a result so a failure can be shown beside the client version.
  func serverVersionRead() async -> Result<String?, KubeError> {
    do {
      let body = try await apiGet("/version", what: "reading the server version")
      return .success((try? JSONValue.decode(body))?["gitVersion"]?.string)
    } catch let error as KubeError {
      return .failure(error)
    } catch {
      return .failure(KubeError(.failed, "reading the server version failed: \(error)", hint: "rerun with -v"))
    }
  }

  /// The items of a List answer, each with the `kind` and `apiVersion` the API server leaves out
  /// of list items (kubectl fills them in; checks read them).
  static func listItems(_ body: [UInt8]) throws -> [KubeObject] {
    guard let json = try? JSONValue.decode(body) else {
      throw KubeError(.invalidResponse, "the API server's answer is not JSON", hint: "rerun with -v")
    }
    guard let items = json["items"]?.array else { return [KubeObject(json)] }
    let listKind = json["kind"]?.string ?? ""
    let kind = listKind.hasSuffix("List") ? String(listKind.dropLast(4)) : nil
    let apiVersion = json["apiVersion"]?.string
    return items.map { item in
      guard case .object(var fields) = item else { return KubeObject(item) }
      if fields["kind"] == nil, let kind { fields["kind"] = .string(kind) }
      if fields["apiVersion"] == nil, let apiVersion { fields["apiVersion"] = .string(apiVersion) }
      return KubeObject(.object(fields))
    }
  }

  /// A query parameter's value, percent-encoded (`app.kubernetes.io/name=loki`).
  static func queryValue(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
  }
}

import Foundation

/// Everything mtobs asks of a cluster goes through here.
///
/// With a `transport` (every live run), reads go over the run's one `kubectl proxy` as HTTP
/// requests, each with its own timeout, and failures are classified from the real status and
/// body. Without one (tests with a fake kubectl), and for writes and the kubeconfig, each call is
/// a kubectl child carrying the target's `--context`/`--kubeconfig`, a `--request-timeout` and a
/// process timeout. Either way failures become `KubeError`s with advice.
public struct KubeClient: Sendable {
  public let kubectl: String
  public let target: KubeTarget
  public let runner: any ProcessRunning
  public let timeout: Duration
  /// With `--dry-run`, commands that change the cluster go here instead of running.
  public let dryRunPrinter: (@Sendable (String) -> Void)?
  /// The run's connection to the API server; nil: every call is a kubectl child.
  public let transport: KubeTransport?

  public init(
    kubectl: String, target: KubeTarget, runner: any ProcessRunning, timeout: Duration,
    dryRunPrinter: (@Sendable (String) -> Void)? = nil, transport: KubeTransport? = nil
  ) {
    self.kubectl = kubectl
    self.target = target
    self.runner = runner
    self.timeout = timeout
    self.dryRunPrinter = dryRunPrinter
    self.transport = transport
  }

  /// The kubectl command for `arguments`, aimed at the target cluster.
  public func invocation(_ arguments: [String], mutates: Bool = false, standardInput: [UInt8]? = nil) -> Invocation {
    Invocation(
      kubectl, target.selectionArguments + ["--request-timeout", DurationText.format(timeout)] + arguments,
      mutates: mutates, standardInput: standardInput)
  }

  /// Runs kubectl and returns its stdout; a non-zero exit becomes a classified `KubeError`.
  /// Mutating calls are printed instead of run under `--dry-run` (and return nothing).
  @discardableResult
  public func run(
    _ arguments: [String], mutates: Bool = false, standardInput: [UInt8]? = nil, what: String, path: String? = nil
  )
    async throws -> [UInt8]
  {
    if mutates, let dryRunPrinter {
      dryRunPrinter(invocation(arguments, mutates: mutates, standardInput: standardInput).display)
      return []
    }
    // Reads log their requests and answers (`-v=6`) so a failure is judged by its HTTP status and body.
    let command = invocation(
      mutates ? arguments : [KubectlLog.verbosity] + arguments, mutates: mutates, standardInput: standardInput)
    let result: ProcessResult
    do {
      // A little beyond kubectl's own request timeout, so kubectl reports first when it can.
      result = try await runner.run(command, timeout: timeout + .seconds(2))
    } catch ProcessError.notFound {
      throw KubeError.kubectlMissing(kubectl)
    } catch ProcessError.timedOut {
      throw KubeError(
        .timeout, "the API server did not answer within \(DurationText.format(timeout)) (\(what))",
        hint: "check the network path to the cluster with `kubectl cluster-info`, \(KubeError.raiseTimeout)")
    }
    guard result.succeeded else {
      throw KubeError.classify(standardError: result.errorText, target: target, what: what, path: path)
    }
    return result.standardOutput
  }

  /// Lists several kinds in one call (`kubectl get a,b,c -o json`).
  /// - Parameter namespace: nil for all namespaces.
  public func list(kinds: [String], namespace: String?, labelSelector: String? = nil) async throws -> [KubeObject] {
    if transport != nil,
      let objects = try await listOverTransport(kinds: kinds, namespace: namespace, labelSelector: labelSelector)
    {
      return objects
    }
    var arguments = ["get", kinds.joined(separator: ","), "-o", "json"]
    arguments += namespace.map { ["--namespace", $0] } ?? ["--all-namespaces"]
    if let labelSelector { arguments += ["--selector", labelSelector] }
    let output = try await run(arguments, what: "listing \(kinds.joined(separator: ","))")
    return try Self.items(in: output)
  }

  /// One object, or nil when it does not exist.
  public func get(kind: String, name: String, namespace: String?) async throws -> KubeObject? {
    if transport != nil, let resource = try await resource(named: kind) {
      return try await getOverTransport(resource, name: name, namespace: namespace)
    }
    var arguments = ["get", kind, name, "-o", "json", "--ignore-not-found"]
    if let namespace { arguments += ["--namespace", namespace] }
    let output = try await run(arguments, what: "reading \(kind)/\(name)")
    if output.allSatisfy({ $0 == 0x20 || $0 == 0x0A }) { return nil }
    return KubeObject(try decode(output))
  }

  /// A GET of a raw API path (`kubectl get --raw`), for the API server's proxy to services and pods.
  public func rawGet(_ path: String) async throws -> [UInt8] {
    if transport != nil { return try await apiGet(path, what: "GET \(path)") }
    return try await run(["get", "--raw", path], what: "GET \(path)", path: path)
  }

  /// GET through the API server's proxy to a Service port.
  public func serviceProxyGet(
    service: String, port: Int, path: String, namespace: String? = nil
  ) async throws -> [UInt8] {
    try await rawGet(
      Self.serviceProxyPath(namespace: namespace ?? target.namespace, service: service, port: port, path: path))
  }

  /// GET through the API server's proxy to a pod port (for endpoints bound on the pod only).
  public func podProxyGet(pod: String, port: Int, path: String, namespace: String? = nil) async throws -> [UInt8] {
    try await rawGet(Self.podProxyPath(namespace: namespace ?? target.namespace, pod: pod, port: port, path: path))
  }

  public static func serviceProxyPath(namespace: String, service: String, port: Int, path: String) -> String {
    "/api/v1/namespaces/\(namespace)/services/\(service):\(port)/proxy" + (path.hasPrefix("/") ? path : "/" + path)
  }

  public static func podProxyPath(namespace: String, pod: String, port: Int, path: String) -> String {
    "/api/v1/namespaces/\(namespace)/pods/\(pod):\(port)/proxy" + (path.hasPrefix("/") ? path : "/" + path)
  }

  /// kubectl's client version (no cluster needed) and, unless `clientOnly`, the server's.
  /// A server that cannot be reached is reported in `serverError`, not thrown: the client
  /// version is still worth printing.
  public func version(clientOnly: Bool) async throws -> KubeVersions {
    if !clientOnly, transport != nil {
      async let server = serverVersionRead()
      var versions = try await version(clientOnly: true)
      switch await server {
      case .success(let version): versions.server = version
      case .failure(let error): versions.serverError = error
      }
      return versions
    }
    let arguments = ["version", "-o", "json"] + (clientOnly ? ["--client"] : [])
    // `--client` must not depend on the kubeconfig: a missing context would fail it.
    let command = clientOnly ? Invocation(kubectl, arguments) : invocation([KubectlLog.verbosity] + arguments)
    let result: ProcessResult
    do {
      result = try await runner.run(command, timeout: timeout + .seconds(2))
    } catch ProcessError.notFound {
      throw KubeError.kubectlMissing(kubectl)
    } catch ProcessError.timedOut {
      return KubeVersions(
        client: nil, server: nil,
        serverError: KubeError(
          .timeout, "kubectl version did not finish within \(DurationText.format(timeout))",
          hint: "check the network path to the cluster with `kubectl cluster-info`, \(KubeError.raiseTimeout)"))
    }
    let json = try? JSONValue.decode(result.standardOutput)
    var versions = KubeVersions(
      client: json?[path: "clientVersion", "gitVersion"]?.string,
      server: json?[path: "serverVersion", "gitVersion"]?.string)
    if !result.succeeded {
      versions.serverError = KubeError.classify(
        standardError: result.errorText, target: target, what: "reading the server version")
    }
    return versions
  }

  /// The API server's version (`gitVersion` of `/version`).
  public func serverVersion() async throws -> String? {
    if transport != nil { return try await serverVersionRead().get() }
    let versions = try await version(clientOnly: false)
    if let error = versions.serverError { throw error }
    return versions.server
  }

  /// The last `lines` lines of a container's log, with timestamps.
  public func logTail(pod: String, container: String, namespace: String? = nil, lines: Int) async throws -> [UInt8] {
    let namespace = namespace ?? target.namespace
    let what = "reading logs of \(pod)"
    if transport != nil {
      let query = "container=\(Self.queryValue(container))&tailLines=\(max(0, lines))&timestamps=true"
      return try await apiGet("/api/v1/namespaces/\(namespace)/pods/\(pod)/log?\(query)", what: what)
    }
    return try await run(
      ["logs", pod, "--container", container, "--namespace", namespace, "--tail", String(lines), "--timestamps"],
      what: what)
  }

  private func decode(_ output: [UInt8]) throws -> JSONValue {
    do {
      return try JSONValue.decode(output)
    } catch {
      throw KubeError(
        .invalidResponse, "kubectl printed something that is not JSON",
        hint: "rerun with -v and try the command by hand")
    }
  }

  static func items(in output: [UInt8]) throws -> [KubeObject] {
    guard let json = try? JSONValue.decode(output) else {
      throw KubeError(
        .invalidResponse, "kubectl printed something that is not JSON",
        hint: "rerun with -v and try the command by hand")
    }
    if let items = json["items"]?.array { return items.map(KubeObject.init) }
    return [KubeObject(json)]
  }
}

public struct KubeVersions: Sendable, Equatable {
  public var client: String?
  public var server: String?
  public var serverError: KubeError?
}

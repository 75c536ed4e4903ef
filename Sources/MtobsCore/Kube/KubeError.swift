import Foundation

/// A failed cluster call, reduced to one line that says what happened and what to check next.
public struct KubeError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: String, Sendable, Equatable, Codable {
    case kubectlMissing, unreachable, timeout, contextNotFound, noConfiguration, unauthorized, forbidden
    case notFound, serverError, invalidResponse, failed
    /// A Service with no ready endpoint behind the API server's proxy.
    case noEndpoints
    /// The proxy could not connect to the pod (refused, no route).
    case backendUnreachable
    /// The API server answered 429.
    case throttled
  }

  public let reason: Reason
  public let message: String
  public let hint: String
  /// The HTTP answer this error was classified from, when there was one (its real status).
  public let failure: APIFailure?

  public init(_ reason: Reason, _ message: String, hint: String, failure: APIFailure? = nil) {
    self.reason = reason
    self.message = message
    self.hint = hint
    self.failure = failure
  }

  /// Where the per-call limit is raised, in words every command's user can act on.
  static let raiseTimeout = "or raise the per-call limit (--request-timeout, or `timeout:` in mtobs.yaml)"

  public var description: String { hint.isEmpty ? message : "\(message)\n  hint: \(hint)" }

  /// kubectl could not be found where configuration, environment or PATH said.
  public static func kubectlMissing(_ nameOrPath: String) -> KubeError {
    KubeError(
      .kubectlMissing,
      "kubectl not found (looked for '\(nameOrPath)')",
      hint:
        "install kubectl (https://kubernetes.io/docs/tasks/tools/, or `apt-get install kubectl`), "
        + "or point MTOBS_KUBECTL or tools.kubectl in mtobs.yaml at it"
    )
  }

  /// Reads kubectl's stderr (with `-v=6`'s request log) into a reason and advice. An HTTP failure
  /// is classified by its status and body (`APIFailure`, shared with every transport); only
  /// failures without an answer (network, kubeconfig) are read from kubectl's words.
  /// Pure, so every message is unit-tested.
  public static func classify(
    standardError: String, target: KubeTarget, what: String, path: String? = nil
  ) -> KubeError {
    if let answer = KubectlLog.lastAnswer(in: standardError) {
      let request = APIRequest(path: answer.path ?? path, what: what)
      return APIFailure.classify(status: answer.status, body: answer.body, headers: answer.headers, request: request)
        .kubeError(target: target, request: request)
    }
    let messages = KubectlLog.messages(in: standardError)
    // kubectl's own last word (not a log line) says it best; else the first error it logged.
    let ownLines = standardError.split(whereSeparator: \.isNewline).map(String.init).filter {
      KubectlLog.klogPrefix($0) == nil && !$0.hasPrefix(" ") && !$0.hasPrefix("\t") && !$0.isEmpty
    }
    let firstLine = ownLines.last ?? messages.first ?? "kubectl failed"
    let lower = messages.joined(separator: "\n").lowercased()
    let context = target.context.map { "context '\($0)'" } ?? "the current context"
    if lower.contains("context was not found") || (lower.contains("context") && lower.contains("does not exist")) {
      return KubeError(
        .contextNotFound, "\(context) is not in the kubeconfig",
        hint: "list the contexts with `kubectl config get-contexts`, then pass --context NAME")
    }
    if lower.contains("no configuration has been provided") || lower.contains("localhost:8080") {
      return KubeError(
        .noConfiguration, "no kubeconfig found: kubectl has no cluster to talk to",
        hint: "set KUBECONFIG or pass --kubeconfig FILE and --context NAME")
    }
    if lower.contains("no such file or directory"), let kubeconfig = target.kubeconfig,
      standardError.contains(kubeconfig)
    {
      return KubeError(
        .noConfiguration, "kubeconfig '\(kubeconfig)' does not exist", hint: "check the --kubeconfig path")
    }
    // A refusal is decided before any timeout: kubectl's URLs carry `?timeout=10s`.
    let refusals = ["connection refused", "was refused", "no such host", "network is unreachable", "no route to host"]
    if refusals.contains(where: lower.contains) {
      return KubeError(
        .unreachable, "cannot reach the API server of \(context): \(reasonTail(firstLine))",
        hint: "is the cluster running and is this the right context? Try `kubectl cluster-info`")
    }
    let timeouts = [
      "client.timeout exceeded", "i/o timeout", "handshake timeout", "deadline exceeded", "timed out",
      "timeout awaiting", "unable to return a response in the time allotted",
    ]
    if timeouts.contains(where: lower.contains) {
      return KubeError(
        .timeout, "the API server did not answer in time (\(what))",
        hint: "check the network path to the cluster (VPN, proxy) with `kubectl cluster-info`, \(raiseTimeout)")
    }
    if lower.contains("unable to connect to the server") {
      return KubeError(
        .unreachable, "cannot reach the API server of \(context): \(reasonTail(firstLine))",
        hint: "is the cluster running and is this the right context? Try `kubectl cluster-info`")
    }
    if lower.contains("unauthorized") || lower.contains("must be logged in") {
      return KubeError(
        .unauthorized, "the API server rejected the credentials of \(context) (401 Unauthorized)",
        hint: "log in again or refresh the token in the kubeconfig (`kubectl auth whoami`)")
    }
    if lower.contains("forbidden") {
      return KubeError(
        .forbidden, "not allowed: \(serverMessage(firstLine))",
        hint:
          "ask for read access in namespace '\(target.namespace)'; check with `kubectl auth can-i --list -n \(target.namespace)`"
      )
    }
    if lower.contains("(notfound)") || lower.contains("not found") || lower.contains("doesn't have a resource type") {
      return KubeError(
        .notFound, serverMessage(firstLine),
        hint: "check the name and namespace (-n), or deploy the stack with `mtobs deploy`")
    }
    if lower.contains("error from server") {
      return KubeError(
        .serverError, serverMessage(firstLine),
        hint: "the API server answered with an error; retry, or look at `kubectl get events -n \(target.namespace)`")
    }
    return KubeError(.failed, "\(what) failed: \(firstLine)", hint: "rerun with -v to see the kubectl command")
  }

  /// "Error from server (Forbidden): secrets is forbidden: …" → "secrets is forbidden: …".
  private static func serverMessage(_ line: String) -> String {
    guard line.hasPrefix("Error from server"), let colon = line.range(of: "): ") else {
      return line.hasPrefix("error: ") ? String(line.dropFirst(7)) : line
    }
    return String(line[colon.upperBound...])
  }

  /// "Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused" → "dial tcp …".
  private static func reasonTail(_ line: String) -> String {
    if let range = line.range(of: "Unable to connect to the server: ") { return String(line[range.upperBound...]) }
    // "The connection to the server HOST:PORT was refused - did you specify the right host or port?"
    if line.hasPrefix("The connection to the server "), let refused = line.range(of: " was refused") {
      let host = line[line.index(line.startIndex, offsetBy: 29)..<refused.lowerBound]
      return "connection to \(host) refused"
    }
    return line
  }
}

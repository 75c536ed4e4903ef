import Foundation

/// A failed cluster call, reduced to one line that says what happened and what to check next.
public struct KubeError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: String, Sendable, Equatable, Codable {
    case kubectlMissing, unreachable, timeout, contextNotFound, noConfiguration, unauthorized, forbidden
    case notFound, serverError, invalidResponse, failed
  }

  public let reason: Reason
  public let message: String
  public let hint: String

  public init(_ reason: Reason, _ message: String, hint: String) {
    self.reason = reason
    self.message = message
    self.hint = hint
  }

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

  /// Reads kubectl's stderr and exit code into a reason and advice. Pure, so every message is unit-tested.
  public static func classify(standardError: String, target: KubeTarget, what: String) -> KubeError {
    let text = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
    let firstLine = text.split(separator: "\n").first.map(String.init) ?? "kubectl failed"
    let lower = text.lowercased()
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
    if lower.contains("no such file or directory"), let kubeconfig = target.kubeconfig, text.contains(kubeconfig) {
      return KubeError(
        .noConfiguration, "kubeconfig '\(kubeconfig)' does not exist", hint: "check the --kubeconfig path")
    }
    if lower.contains("timeout") || lower.contains("deadline exceeded") || lower.contains("timed out")
      || lower.contains("unable to return a response in the time allotted")
    {
      return KubeError(
        .timeout, "the API server did not answer in time (\(what))",
        hint: "check the network path to the cluster (VPN, proxy) with `kubectl cluster-info`, or raise --timeout")
    }
    if lower.contains("unable to connect to the server") || lower.contains("connection refused")
      || lower.contains("was refused")
      || lower.contains("no such host") || lower.contains("network is unreachable")
    {
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

import Foundation

/// What a `kubectl port-forward` said when it failed, sorted into what retrying can fix and what
/// it cannot (credentials, RBAC): those stop the forward with an explanation instead of looping.
public enum TunnelFailure: Sendable, Equatable {
  case retryable(String)
  case fatal(message: String, hint: String)

  /// Substrings (lower-case) that mean the user is not allowed: retrying cannot help.
  static let authMarkers = [
    "forbidden", "unauthorized", "you must be logged in", "getting credentials", "the server has asked for the client",
  ]

  /// Classifies the lines kubectl printed on stderr before it ended; `summary` is the most telling one.
  public static func classify(errorLines: [String], termination: String) -> TunnelFailure {
    let meaningful = errorLines.map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty && !$0.lowercased().hasPrefix("handling connection")
    }
    let summary = meaningful.last { $0.lowercased().hasPrefix("error") } ?? meaningful.last
    let reason = summary.map { "\(termination): \(Self.trimmed($0))" } ?? termination
    if let line = meaningful.first(where: { line in authMarkers.contains { line.lowercased().contains($0) } }) {
      return .fatal(
        message: "kubectl port-forward was refused: \(Self.trimmed(line))",
        hint: "port-forwarding needs the RBAC verb 'create' on 'pods/portforward' in the namespace; "
          + "check with `kubectl auth can-i create pods/portforward`")
    }
    return .retryable(reason)
  }

  /// kubectl's `error: ` prefix and klog's header add nothing to a one-line reason.
  static func trimmed(_ line: String) -> String {
    var text = Substring(line)
    if let range = text.range(of: "] "), text.first == "E" || text.first == "W" { text = text[range.upperBound...] }
    if text.hasPrefix("error: ") { text = text.dropFirst(7) }
    return String(text.prefix(200))
  }
}

extension ProcessResult.Termination {
  /// `exit 1`, `signal 9`.
  public var spoken: String {
    switch self {
    case .exited(let code): "exit \(code)"
    case .signaled(let signal): "signal \(signal)"
    }
  }
}

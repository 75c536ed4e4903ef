import Foundation

/// What a supervised forward reports; the command renders these (status lines, or JSON).
public enum ForwardEvent: Sendable, Equatable {
  /// The local listener is open (before any tunnel).
  case listening(name: String, address: String, port: Int)
  /// A tunnel is being started to this pod.
  case connecting(name: String, pod: String, podPort: Int)
  /// The first tunnel carries traffic.
  case connected(name: String, pod: String, podPort: Int, after: Duration)
  /// The tunnel ended; `reason` says how (`exit 1: lost connection to pod`, `probe failed: …`).
  case lost(name: String, pod: String, reason: String)
  /// A later tunnel carries traffic again: one line per reconnect.
  case reconnected(name: String, lostPod: String, reason: String, pod: String, podPort: Int, after: Duration)
  /// The next attempt waits this long (the backoff).
  case retrying(name: String, in: Duration, reason: String)
  /// The forward stopped for good (credentials, RBAC): retrying cannot help.
  case failed(name: String, message: String, hint: String)
  /// The forward was stopped (interrupt).
  case stopped(name: String)

  public var name: String {
    switch self {
    case .listening(let name, _, _), .connecting(let name, _, _), .connected(let name, _, _, _),
      .lost(let name, _, _), .reconnected(let name, _, _, _, _, _), .retrying(let name, _, _), .failed(let name, _, _),
      .stopped(let name):
      name
    }
  }

  /// The event's kind, as `-o json` names it.
  public var kind: String {
    switch self {
    case .listening: "listening"
    case .connecting: "connecting"
    case .connected: "connected"
    case .lost: "lost"
    case .reconnected: "reconnected"
    case .retrying: "retrying"
    case .failed: "failed"
    case .stopped: "stopped"
    }
  }

  /// One line for people.
  public var text: String {
    switch self {
    case .listening(let name, let address, let port): "\(name): listening on \(address):\(port)"
    case .connecting(let name, let pod, let port): "\(name): connecting to pod \(pod):\(port)"
    case .connected(let name, let pod, let port, let after):
      "\(name): forwarding to pod \(pod):\(port) (ready in \(Self.seconds(after)))"
    case .lost(let name, let pod, let reason): "\(name): tunnel to pod \(pod) lost (\(reason))"
    case .reconnected(let name, let lostPod, let reason, let pod, _, let after):
      "\(name): tunnel to pod \(lostPod) lost (\(reason)); reconnected to pod \(pod) in \(Self.seconds(after))"
    case .retrying(let name, let delay, let reason): "\(name): \(reason); retrying in \(Self.seconds(delay))"
    case .failed(let name, let message, _): "\(name): \(message)"
    case .stopped(let name): "\(name): stopped"
    }
  }

  /// One JSON object per event, for scripts.
  public var json: JSONValue {
    var fields: [String: JSONValue] = ["forward": .string(name), "event": .string(kind), "message": .string(text)]
    switch self {
    case .listening(_, let address, let port):
      fields["address"] = .string(address)
      fields["port"] = .number(Double(port))
    case .connecting(_, let pod, let port):
      fields["pod"] = .string(pod)
      fields["podPort"] = .number(Double(port))
    case .connected(_, let pod, let port, let after):
      fields["pod"] = .string(pod)
      fields["podPort"] = .number(Double(port))
      fields["durationMs"] = .number(Double(DurationText.milliseconds(after)))
    case .lost(_, let pod, let reason):
      fields["pod"] = .string(pod)
      fields["reason"] = .string(reason)
    case .reconnected(_, let lostPod, let reason, let pod, let port, let after):
      fields["lostPod"] = .string(lostPod)
      fields["reason"] = .string(reason)
      fields["pod"] = .string(pod)
      fields["podPort"] = .number(Double(port))
      fields["durationMs"] = .number(Double(DurationText.milliseconds(after)))
    case .retrying(_, let delay, let reason):
      fields["delayMs"] = .number(Double(DurationText.milliseconds(delay)))
      fields["reason"] = .string(reason)
    case .failed(_, _, let hint):
      fields["hint"] = .string(hint)
    case .stopped: break
    }
    return .object(fields)
  }

  /// `json` as one line (sorted keys).
  public var jsonLine: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(json)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  static func seconds(_ duration: Duration) -> String {
    let milliseconds = DurationText.milliseconds(duration)
    return "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s"
  }
}

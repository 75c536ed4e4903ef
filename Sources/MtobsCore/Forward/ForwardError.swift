/// Why a forward could not start or had to stop.
public enum ForwardError: MtobsError, Equatable {
  case portInUse(address: String, port: Int, holder: PortHolder?)
  case bindFailed(address: String, port: Int, reason: String)
  /// Retrying cannot help (credentials, RBAC, a Service that does not exist).
  case refused(name: String, message: String, hint: String)
  case notFound(name: String, message: String, hint: String)

  public var errorMessage: String {
    switch self {
    case .portInUse(let address, let port, let holder):
      "\(address):\(port) is already in use" + (holder.map { " by \($0)" } ?? "")
    case .bindFailed(let address, let port, let reason): "cannot listen on \(address):\(port): \(reason)"
    case .refused(let name, let message, _): "\(name): \(message)"
    case .notFound(let name, let message, _): "\(name): \(message)"
    }
  }

  public var errorHint: String {
    switch self {
    case .portInUse: "choose another with --port N, or --port 0 for any free port"
    case .bindFailed: "choose another address or port (--address, --port)"
    case .refused(_, _, let hint), .notFound(_, _, let hint): hint
    }
  }

  public var exitStatus: ExitStatus { .couldNotRun }
}

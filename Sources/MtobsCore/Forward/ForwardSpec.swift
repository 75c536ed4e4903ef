/// One supervised forward: a local port mtobs owns, relayed to one port of a pod behind a Service.
public struct ForwardSpec: Sendable, Equatable {
  /// How the tunnel is checked through itself.
  public enum Probe: Sendable, Equatable {
    /// An HTTP GET of `path`; any HTTP answer proves the tunnel carries bytes to the pod.
    case http(path: String)
    /// A TCP connect to the tunnel (ports that speak no HTTP/1, such as OTLP gRPC).
    case tcp
  }

  /// What users type and see: `grafana`, `collector/otlp-grpc`.
  public var name: String
  public var role: ComponentRole
  public var service: String
  public var servicePort: Int
  public var localAddress: String
  /// 0: any free port.
  public var localPort: Int
  public var probe: Probe

  public init(
    name: String, role: ComponentRole, service: String, servicePort: Int, localAddress: String = "127.0.0.1",
    localPort: Int, probe: Probe
  ) {
    self.name = name
    self.role = role
    self.service = service
    self.servicePort = servicePort
    self.localAddress = localAddress
    self.localPort = localPort
    self.probe = probe
  }
}

/// How the supervisor paces itself; tests shorten the intervals.
public struct ForwardTiming: Sendable, Equatable {
  /// Between two probes of a healthy tunnel (below every idle cut-off seen in practice).
  public var probeInterval: Duration
  public var probeTimeout: Duration
  /// Consecutive failed probes that end a tunnel (one slow answer is not a dead tunnel).
  public var failuresBeforeReconnect: Int
  /// How long kubectl may take to say it listens and to carry a first probe.
  public var startLimit: Duration
  /// How long a connection accepted during a reconnect waits for the new tunnel.
  public var connectionWait: Duration
  public var backoff: Backoff.Policy

  public init(
    probeInterval: Duration = .seconds(15), probeTimeout: Duration = .seconds(5), failuresBeforeReconnect: Int = 2,
    startLimit: Duration = .seconds(20), connectionWait: Duration = .seconds(20), backoff: Backoff.Policy = .init()
  ) {
    self.probeInterval = probeInterval
    self.probeTimeout = probeTimeout
    self.failuresBeforeReconnect = failuresBeforeReconnect
    self.startLimit = startLimit
    self.connectionWait = connectionWait
    self.backoff = backoff
  }
}

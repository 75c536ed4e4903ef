/// Full-jitter exponential backoff: the first retry is immediate, then a random delay up to
/// base·2ⁿ, capped. A tunnel that worked (a probe passed through it) for at least
/// `healthyPeriod` starts again from the first step, so losing a working tunnel is answered at
/// once and only attempts that never get a working tunnel back off.
public struct Backoff: Sendable, Equatable {
  public struct Policy: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration
    public var healthyPeriod: Duration

    public init(
      base: Duration = .milliseconds(500), cap: Duration = .seconds(30), healthyPeriod: Duration = .zero
    ) {
      self.base = base
      self.cap = cap
      self.healthyPeriod = healthyPeriod
    }
  }

  public let policy: Policy
  /// Failures since the last healthy period.
  public private(set) var failures = 0

  public init(policy: Policy = .init()) { self.policy = policy }

  /// The delay before the next attempt; `random` maps the upper bound to a value in 0...bound.
  public mutating func nextDelay(random: (Duration) -> Duration = Backoff.uniform) -> Duration {
    defer { failures += 1 }
    guard failures > 0 else { return .zero }
    return random(ceiling(afterFailures: failures))
  }

  /// The upper bound of the delay after `count` failures (the first retry is immediate).
  public func ceiling(afterFailures count: Int) -> Duration {
    guard count > 0 else { return .zero }
    var bound = policy.base
    var step = 1
    while step < count, bound < policy.cap {
      bound = bound * 2
      step += 1
    }
    return min(bound, policy.cap)
  }

  /// A tunnel that stayed up this long earns a fresh start.
  public mutating func recordUptime(_ uptime: Duration) {
    if uptime >= policy.healthyPeriod { failures = 0 }
  }

  /// Uniform in 0...bound, at millisecond resolution.
  public static func uniform(_ bound: Duration) -> Duration {
    let milliseconds = bound.components.seconds * 1000 + bound.components.attoseconds / 1_000_000_000_000_000
    guard milliseconds > 0 else { return .zero }
    return .milliseconds(Int64.random(in: 0...milliseconds))
  }
}

/// The exit statuses mtobs uses, the same for every command (PRODUCT.md §4, README's table).
public struct ExitStatus: RawRepresentable, Sendable, Equatable, Hashable {
  public let rawValue: Int32

  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// Nothing failed.
  public static let success = ExitStatus(rawValue: 0)
  /// mtobs ran and something it checked or did failed (a check, a deploy step, a rollout).
  public static let failed = ExitStatus(rawValue: 1)
  /// mtobs could not run: kubectl missing, bad configuration, unreachable cluster, bad bundle.
  public static let couldNotRun = ExitStatus(rawValue: 2)
  /// The command line was wrong (sysexits' EX_USAGE).
  public static let usage = ExitStatus(rawValue: 64)

  /// The status of a process ended by `signal`, as shells report it (130 for SIGINT).
  public static func interrupted(by signal: Int32) -> ExitStatus { ExitStatus(rawValue: 128 + signal) }
}

/// The one error protocol every layer's errors adopt: what happened, what to do next, and the
/// exit status it means. The executable only reads these three (SwiftPM's and swiftly's errors
/// work the same way), so no type switch elsewhere decides an exit code.
public protocol MtobsError: Error, Sendable {
  /// What happened, for people (may span lines).
  var errorMessage: String { get }
  /// What to do next; empty when there is nothing useful to say.
  var errorHint: String { get }
  var exitStatus: ExitStatus { get }
}

extension KubeError: MtobsError {
  public var errorMessage: String { message }
  public var errorHint: String { hint }
  public var exitStatus: ExitStatus { .couldNotRun }
}

extension ConfigError: MtobsError {
  public var errorMessage: String { description }
  public var errorHint: String { "fix the configuration; `mtobs config` shows what is in effect" }
  public var exitStatus: ExitStatus { .couldNotRun }
}

extension DeployError: MtobsError {
  public var errorMessage: String { message }
  public var errorHint: String { hint }
  public var exitStatus: ExitStatus {
    switch self {
    case .stepFailed, .rolloutFailed, .interrupted: .failed  // the deploy ran and failed
    default: .couldNotRun  // it could not start
    }
  }
}

extension BundleFile.Error: MtobsError {
  public var errorMessage: String { message }
  public var errorHint: String { hint }
  public var exitStatus: ExitStatus { .couldNotRun }
}

extension ProcessError: MtobsError {
  public var errorMessage: String {
    switch self {
    case .notFound(let executable): "'\(executable)' not found on PATH"
    case .timedOut(let command, let after): "timed out after \(DurationText.format(after)): \(command)"
    case .launchFailed(let command, let reason): "could not start \(command): \(reason)"
    }
  }
  public var errorHint: String {
    switch self {
    case .notFound: "install it, or point mtobs at it (`mtobs config` lists the tools.* keys)"
    case .timedOut: "rerun with -v to see the command; check the cluster with `kubectl cluster-info`"
    case .launchFailed: "check that the file is an executable for this machine"
    }
  }
  public var exitStatus: ExitStatus { .couldNotRun }
}

/// A failure a command raises itself that has no richer type (an unwritable output path, a name
/// that is not valid): message, hint and status in one value.
public struct CommandFailure: MtobsError, Equatable, CustomStringConvertible {
  public let errorMessage: String
  public let errorHint: String
  public let exitStatus: ExitStatus

  public init(_ message: String, hint: String = "", status: ExitStatus = .couldNotRun) {
    self.errorMessage = message
    self.errorHint = hint
    self.exitStatus = status
  }

  public var description: String { errorMessage }
}

/// A failure whose document the command has already printed (`version -o json` shows the
/// server's error inside its report): the message still goes to stderr and the status still
/// counts, but no second JSON document follows.
public struct AlreadyInReport: MtobsError {
  public let failure: any MtobsError

  public init(_ failure: any MtobsError) { self.failure = failure }

  public var errorMessage: String { failure.errorMessage }
  public var errorHint: String { failure.errorHint }
  public var exitStatus: ExitStatus { failure.exitStatus }
}

/// An interrupt (Ctrl-C, SIGTERM, SIGHUP) that ended a command: never a verdict on the cluster.
public struct Interrupted: MtobsError, Equatable {
  public let signal: Int32

  public init(signal: Int32) { self.signal = signal }

  public var errorMessage: String { "interrupted (\(Self.name(of: signal)))" }
  public var errorHint: String { "" }
  public var exitStatus: ExitStatus { .interrupted(by: signal) }

  public static func name(of signal: Int32) -> String { SignalTrap.name(of: signal) }
}

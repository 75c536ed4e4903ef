/// What a deploy reports while it runs. The `Deployer` only emits these; the command renders
/// them (progress on stderr, planned commands on stdout), so the core never prints.
public enum DeployEvent: Sendable, Equatable {
  /// Before anything changes: what is deployed, from where, to which context and namespace.
  case announced(String)
  case warning(String)
  /// `--dry-run`: a command that would run (copy-pasteable, secrets masked), with a note.
  case planned(command: String, note: String?)
  /// A step starts (`→ skaffold run -p …`).
  case step(String)
  /// A line a step's child printed.
  case output(String)
  case deployed
  /// An interrupt arrived; the record of it is being written (a second Ctrl-C skips it).
  case recordingInterrupted
}

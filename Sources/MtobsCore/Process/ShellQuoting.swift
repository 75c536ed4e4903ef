/// POSIX shell quoting for echoed commands, so a line printed by `--verbose` or `--dry-run` can be
/// pasted into a terminal as it is.
public enum ShellQuoting {
  private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+")

  public static func quote(_ word: String) -> String {
    if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
    return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
  }
}

import Foundation

/// Decides whether a context needs confirmation before a deploy (pure).
public enum ContextGuard {
  /// The first protected pattern that matches `context` (shell-style globs, `*prod*`), if any.
  public static func protectingPattern(for context: String, patterns: [String]) -> String? {
    patterns.first { fnmatch($0, context, 0) == 0 }
  }
}

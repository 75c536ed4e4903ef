import Foundation

/// Decides whether a context needs confirmation before a deploy (pure).
public enum ContextGuard {
  /// The first protected pattern that matches `context` (shell-style globs, `*prod*`), if any.
  /// Case does not matter: `Prod-EU` is as protected as `prod-eu`.
  public static func protectingPattern(for context: String, patterns: [String]) -> String? {
    let name = context.lowercased()
    return patterns.first { fnmatch($0.lowercased(), name, 0) == 0 }
  }

  /// Lets a deploy to `context` go ahead, or throws: a protected context needs `yes`, or the
  /// context name typed back exactly through `confirm` (nil when there is no terminal to ask on).
  /// A dry run changes nothing, so it never asks.
  /// `action` completes "Type its name to …" (`deploy`, `change its Dapr Configuration`).
  public static func confirm(
    _ context: String, patterns: [String], yes: Bool, dryRun: Bool, action: String = "deploy",
    confirm: ((String) -> String?)?
  ) throws(DeployError) {
    guard let pattern = protectingPattern(for: context, patterns: patterns), !yes, !dryRun else { return }
    guard let confirm else { throw DeployError.protectedContext(context: context, pattern: pattern) }
    let answer = confirm("Context '\(context)' is protected (\(pattern)). Type its name to \(action): ")
    guard answer?.trimmingCharacters(in: .whitespaces) == context else {
      throw DeployError.confirmationDeclined(context: context, action: action)
    }
  }
}

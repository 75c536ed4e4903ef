/// Why a deploy did not start or did not finish, with what to do next.
public enum DeployError: Error, Sendable, Equatable, CustomStringConvertible {
  case noSkaffoldFile(searched: [String])
  case unreadableSkaffold(path: String, reason: String)
  case unknownProfile(String, available: [String])
  case noTool(skaffold: String, helm: String)
  case toolMissing(name: String, setting: String)
  case protectedContext(context: String, pattern: String)
  case confirmationDeclined(context: String, action: String = "deploy")
  case dirtyTree(root: String)
  case stepFailed(command: String, exitCode: Int32, lastLines: [String])
  case rolloutFailed(objects: [String], namespace: String, context: String)
  /// `checks`: the commands that show the state the interrupted step may have left.
  case interrupted(step: String, checks: [String])
  case namespaceMismatch(requested: String, releases: [String: String], source: String)

  public var description: String { message }

  public var message: String {
    switch self {
    case .noSkaffoldFile(let searched):
      "no skaffold.yaml found (looked in: \(searched.joined(separator: ", ")))"
    case .unreadableSkaffold(let path, let reason):
      "cannot read \(path): \(reason)"
    case .unknownProfile(let name, let available):
      "unknown profile '\(name)'; the profiles are: \(available.joined(separator: ", "))"
    case .noTool(let skaffold, let helm):
      "neither skaffold ('\(skaffold)') nor helm ('\(helm)') is installed"
    case .toolMissing(let name, let setting):
      "\(name) not found (looked for '\(setting)')"
    case .protectedContext(let context, let pattern):
      "context '\(context)' is protected (matches '\(pattern)') and there is no terminal to confirm on"
    case .confirmationDeclined(let context, let action):
      action == "deploy"
        ? "deploy to '\(context)' not confirmed; nothing was changed"
        : "not confirmed: nothing was changed in '\(context)'"
    case .dirtyTree(let root):
      "the deploy assets' repository \(root) has uncommitted changes and --require-clean is set"
    case .stepFailed(let command, let exitCode, let lastLines):
      (["`\(command)` failed with exit code \(exitCode)"]
        + (lastLines.isEmpty ? [] : ["last lines:"] + lastLines.map { "  " + $0 }))
        .joined(separator: "\n")
    case .rolloutFailed(let objects, _, _):
      "not rolled out in time: \(objects.joined(separator: ", "))"
    case .interrupted(let step, _):
      "deploy interrupted during: \(step)"
    case .namespaceMismatch(let requested, let releases, let source):
      "namespace '\(requested)' was asked for, but \(source) deploys "
        + releases.sorted { $0.key < $1.key }.map { "release \($0.key) to '\($0.value)'" }.joined(separator: ", ")
        + "; mtobs does not move releases to another namespace"
    }
  }

  public var hint: String {
    switch self {
    case .noSkaffoldFile:
      "run from the repository that holds skaffold.yaml (or its deploy/), or reinstall mtobs with its assets"
    case .unreadableSkaffold: "fix the YAML; `skaffold diagnose` shows how skaffold reads it"
    case .unknownProfile: "pass one of them with --profile"
    case .noTool:
      "install skaffold (https://skaffold.dev) or helm (https://helm.sh), or set MTOBS_SKAFFOLD / MTOBS_HELM"
    case .toolMissing(let name, _): "install \(name), or choose the other tool with --with"
    case .protectedContext: "rerun with --yes if you really mean it"
    case .confirmationDeclined: "rerun and type the context name to confirm, or pick another --context"
    case .dirtyTree: "commit or stash the changes, or drop --require-clean"
    case .stepFailed:
      "fix the cause above and rerun `mtobs deploy`; helm upgrades are idempotent (`mtobs deploy --history` shows what ran)"
    case .rolloutFailed(_, let namespace, let context):
      "see why with `kubectl get pods -n \(namespace) --context \(context)` and `kubectl describe`"
    case .interrupted(_, let checks):
      checks.isEmpty
        ? "rerun `mtobs deploy`; the releases are idempotent"
        : "a helm release may be mid-upgrade: check \(checks.map { "`\($0)`" }.joined(separator: ", ")), then rerun `mtobs deploy`"
    case .namespaceMismatch(_, let releases, _):
      "drop -n (or use -n \(Set(releases.values).sorted().joined(separator: "/"))), or change the releases' namespace in skaffold.yaml"
    }
  }
}

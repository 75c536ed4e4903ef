import Foundation
import Git
import MtobsCore

/// Why an install, upgrade or removal did not happen; the previous state is left as it was.
public struct PluginInstallError: MtobsError, Equatable, CustomStringConvertible {
  public let errorMessage: String
  public let errorHint: String
  public var exitStatus: ExitStatus { .couldNotRun }

  public init(_ message: String, hint: String) {
    errorMessage = message
    errorHint = hint
  }

  public var description: String { errorMessage }

  /// A libgit2 failure, with what to do about it.
  static func git(_ error: GitError, doing what: String, source: String) -> PluginInstallError {
    // libgit2 reports the owner check (git's safe.directory rule) as -36, or as the failed
    // lookup of safe.directory that follows it.
    if error.code == -36 || error.message.contains("safe.directory") || error.message.contains("not owned by") {
      return PluginInstallError(
        "\(what) \(source) failed: the repository belongs to another user, and mtobs, like git, refuses it",
        hint: "clone it yourself as your own user and install from that path, or install from its https:// URL")
    }
    let hint: String
    switch error.code {
    case GitError.libraryUnavailable:
      return PluginInstallError("\(what) \(source) failed: \(error.message)", hint: GitError.installHint)
    case -16:  // GIT_EAUTH
      hint =
        "clones run without credentials: use a public https:// URL, or clone it yourself and run 'mtobs plugin install PATH'"
    case -17:  // GIT_ECERTIFICATE
      hint = "the server's TLS certificate was not accepted: check the URL and the system's CA certificates"
    case -3:  // GIT_ENOTFOUND
      hint = "check that \(source) is a git repository (an https:// or file:// URL, or a local path) and the ref exists"
    default:
      hint = "check the URL or path and the network; a local path must be a git repository with at least one commit"
    }
    return PluginInstallError("\(what) \(source) failed: \(error.message)", hint: hint)
  }
}

/// `mtobs plugin install|upgrade|remove`: clones through libgit2 into a staging directory beside
/// the installed clones, validates, then moves into place with `rename`, so a failure at any step
/// leaves the previous state intact. Layout under `$XDG_DATA_HOME/mtobs`:
/// `plugins/NAME` (the clone, receipt in its `.git`) and `plugins.d/mtobs-NAME` (a link into it,
/// which is what discovery sees).
public struct PluginInstaller: Sendable {
  public let environment: [String: String]
  public let builtins: Set<String>
  public let workingDirectory: String

  public init(environment: [String: String], builtins: Set<String>, workingDirectory: String) {
    self.environment = environment
    self.builtins = builtins
    self.workingDirectory = workingDirectory
  }

  var clones: String { InstallReceipt.clonesDirectory(environment: environment) }
  var links: String { PluginDirectories.installedDirectory(environment: environment) }
  func clone(of name: String) -> String { clones + "/" + name }
  func link(of name: String) -> String { links + "/" + PluginName.filePrefix + name }

  /// The names installed by `plugin install`, in name order.
  public func installedNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: clones)) ?? []
    return names.filter { !$0.hasPrefix(".") && InstallReceipt.load(clone: clone(of: $0)) != nil }.sorted()
  }

  public func receipt(of name: String) -> InstallReceipt? { InstallReceipt.load(clone: clone(of: name)) }

  public func install(
    source rawSource: String, ref: String?, name requestedName: String?, now: Date = Date()
  )
    throws(PluginInstallError) -> InstallReceipt
  {
    let source = normalized(rawSource)
    if let requestedName { try checkName(requestedName) }
    try prepareDirectories()
    let staging = try stagingClone(source: source, ref: ref, doing: "cloning")
    defer { try? FileManager.default.removeItem(atPath: staging.directory) }
    let name = try pluginName(in: staging.directory, requested: requestedName, source: source)
    if FileManager.default.fileExists(atPath: clone(of: name)) || pathExists(link(of: name)) {
      throw PluginInstallError(
        "plugin '\(name)' is already installed (\(link(of: name)))",
        hint: "run 'mtobs plugin upgrade \(name)', or 'mtobs plugin remove \(name)' first")
    }
    let receipt = InstallReceipt(
      name: name, source: source, ref: ref, commit: staging.commit, installedAt: Self.timestamp(now))
    do {
      try receipt.save(inClone: staging.directory)
    } catch {
      throw PluginInstallError(
        "cannot write the install record: \(error.localizedDescription)", hint: "check \(clones)")
    }
    guard rename(staging.directory, clone(of: name)) == 0 else {
      throw PluginInstallError("cannot move the clone into \(clone(of: name)): \(lastError())", hint: "check \(clones)")
    }
    // The link appears last, and in one rename: discovery never sees a half-installed plugin.
    let temporary = links + "/.\(PluginName.filePrefix)\(name).\(UUID().uuidString)"
    guard symlink(clone(of: name) + "/" + PluginName.filePrefix + name, temporary) == 0,
      rename(temporary, link(of: name)) == 0
    else {
      let reason = lastError()
      unlink(temporary)
      try? FileManager.default.removeItem(atPath: clone(of: name))
      throw PluginInstallError("cannot link \(link(of: name)): \(reason)", hint: "check \(links)")
    }
    return receipt
  }

  public enum UpgradeOutcome: Sendable, Equatable {
    case upToDate(InstallReceipt)
    case upgraded(from: String, to: InstallReceipt)
  }

  public func upgrade(name: String, force: Bool, now: Date = Date()) throws(PluginInstallError) -> UpgradeOutcome {
    let installed = clone(of: name)
    guard let old = receipt(of: name) else {
      throw PluginInstallError(
        "plugin '\(name)' was not installed by 'mtobs plugin install'",
        hint: "see 'mtobs plugin list' for where it comes from; only installed plugins are upgraded")
    }
    if !force {
      let info: RepositoryInfo?
      do {
        info = try GitRepository.discover(from: installed)
      } catch {
        throw PluginInstallError.git(error, doing: "reading", source: installed)
      }
      if info?.isDirty == true || info?.headCommit != old.commit {
        throw PluginInstallError(
          "plugin '\(name)' has local modifications in \(installed); not upgraded",
          hint: "keep them elsewhere, then run 'mtobs plugin upgrade \(name) --force' to replace them")
      }
    }
    try prepareDirectories()
    let staging = try stagingClone(source: old.source, ref: old.ref, doing: "fetching")
    defer { try? FileManager.default.removeItem(atPath: staging.directory) }
    if staging.commit == old.commit, !force { return .upToDate(old) }
    if !force {
      let fastForward = (try? GitClone.isAncestor(old.commit, of: staging.commit, inClone: staging.directory)) ?? false
      guard fastForward else {
        throw PluginInstallError(
          "the history of \(old.source) was rewritten: \(old.commit.prefix(12)) is no longer an ancestor of \(staging.commit.prefix(12)); not upgraded",
          hint: "check with the plugin's author why; 'mtobs plugin upgrade \(name) --force' installs it anyway")
      }
    }
    _ = try pluginName(in: staging.directory, requested: name, source: old.source)
    let new = InstallReceipt(
      name: name, source: old.source, ref: old.ref, commit: staging.commit, installedAt: Self.timestamp(now))
    do {
      try new.save(inClone: staging.directory)
    } catch {
      throw PluginInstallError(
        "cannot write the install record: \(error.localizedDescription)", hint: "check \(clones)")
    }
    // Swap by two renames, undoing the first if the second fails.
    let previous = clones + "/.previous-\(name)-\(UUID().uuidString)"
    guard rename(installed, previous) == 0 else {
      throw PluginInstallError("cannot move \(installed) aside: \(lastError())", hint: "check \(clones)")
    }
    guard rename(staging.directory, installed) == 0 else {
      let reason = lastError()
      rename(previous, installed)
      throw PluginInstallError("cannot move the new clone into \(installed): \(reason)", hint: "check \(clones)")
    }
    try? FileManager.default.removeItem(atPath: previous)
    return .upgraded(from: old.commit, to: new)
  }

  public func remove(name: String) throws(PluginInstallError) {
    guard receipt(of: name) != nil else {
      throw PluginInstallError(
        "plugin '\(name)' was not installed by 'mtobs plugin install'",
        hint: "see 'mtobs plugin list' for its path; plugins from other directories are removed by deleting the file")
    }
    // The link goes first: from then on the plugin is gone for discovery, whatever happens next.
    if pathExists(link(of: name)), unlink(link(of: name)) != 0 {
      throw PluginInstallError("cannot remove \(link(of: name)): \(lastError())", hint: "check \(links)")
    }
    do {
      try FileManager.default.removeItem(atPath: clone(of: name))
    } catch {
      throw PluginInstallError(
        "removed the link, but not \(clone(of: name)): \(error.localizedDescription)", hint: "delete it by hand")
    }
  }

  // MARK: - Steps

  private func prepareDirectories() throws(PluginInstallError) {
    for directory in [clones, links] {
      do {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
      } catch {
        throw PluginInstallError("cannot create \(directory): \(error.localizedDescription)", hint: "check its parent")
      }
    }
  }

  private func stagingClone(
    source: String, ref: String?, doing what: String
  ) throws(PluginInstallError) -> (
    directory: String, commit: String
  ) {
    // Beside the clones (same filesystem, so the final rename is atomic) and outside plugins.d.
    let directory = clones + "/.staging-\(UUID().uuidString)"
    do {
      return (directory, try GitClone.clone(source: source, into: directory, ref: ref))
    } catch {
      try? FileManager.default.removeItem(atPath: directory)
      throw PluginInstallError.git(error, doing: what, source: source)
    }
  }

  /// The one plugin a clone provides: `mtobs-NAME` at its top, executable, safe, not a built-in.
  private func pluginName(
    in directory: String, requested: String?, source: String
  ) throws(PluginInstallError)
    -> String
  {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
      .compactMap(PluginName.fromFileName).filter {
        FileSafety.isRegularFile(directory + "/" + PluginName.filePrefix + $0)
      }
      .sorted()
    let name: String
    if let requested {
      guard names.contains(requested) else {
        throw PluginInstallError(
          "\(source) has no file \(PluginName.filePrefix)\(requested) at its top",
          hint: names.isEmpty
            ? "a plugin repository holds an executable mtobs-NAME at its top"
            : "it has: "
              + names.map { PluginName.filePrefix + $0 }.joined(separator: ", "))
      }
      name = requested
    } else {
      guard names.count == 1, let only = names.first else {
        throw PluginInstallError(
          names.isEmpty
            ? "\(source) holds no plugin: no executable mtobs-NAME at its top"
            : "\(source) holds several plugins: " + names.map { PluginName.filePrefix + $0 }.joined(separator: ", "),
          hint: names.isEmpty ? "check the repository and --ref" : "choose one with --name NAME")
      }
      name = only
    }
    try checkName(name)
    let path = directory + "/" + PluginName.filePrefix + name
    guard FileSafety.isExecutable(path) else {
      throw PluginInstallError(
        "\(PluginName.filePrefix)\(name) in \(source) is not executable",
        hint: "its author must commit it with mode 755")
    }
    if let problem = FileSafety.problem(at: path) {
      throw PluginInstallError("\(PluginName.filePrefix)\(name) \(problem)", hint: "check the umask")
    }
    return name
  }

  private func checkName(_ name: String) throws(PluginInstallError) {
    guard PluginName.isValid(name) else {
      throw PluginInstallError(
        "'\(name)' is not a plugin name", hint: "names are lower-case words joined by dashes, e.g. kafka-lag")
    }
    guard !builtins.contains(name) else {
      throw PluginInstallError(
        "'\(name)' is a built-in command: a plugin of that name would never run", hint: "install it with --name OTHER")
    }
  }

  private func normalized(_ source: String) -> String {
    if source.contains("://") || source.hasPrefix("/") { return source }
    // scp-like `git@host:path` stays as written; anything else is a path relative to here.
    if let colon = source.firstIndex(of: ":"), !source[..<colon].contains("/") { return source }
    return PluginDirectories.resolved(workingDirectory + "/" + source)
  }

  private func pathExists(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
  }

  private func lastError() -> String { String(cString: strerror(errno)) }

  static func timestamp(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
  }
}

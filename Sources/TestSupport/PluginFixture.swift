import Foundation

/// Plugin executables for tests (PRODUCT.md §5): a `/bin/sh` script with the `# mtobs-summary:`
/// and `# mtobs-version:` lines mtobs reads without running it, then the body.
public enum PluginScript {
  public static func text(summary: String? = nil, version: String? = nil, body: String) -> String {
    var lines = ["#!/bin/sh"]
    if let summary { lines.append("# mtobs-summary: " + summary) }
    if let version { lines.append("# mtobs-version: " + version) }
    return (lines + [body]).joined(separator: "\n") + "\n"
  }
}

extension TemporaryDirectory {
  /// Writes the plugin `mtobs-NAME` into `directory` (relative to this folder) with `mode`
  /// (0o755 unless a test wants an unsafe or non-executable one).
  @discardableResult
  public func writePlugin(_ name: String, in directory: String, script: String, mode: Int = 0o755) throws -> URL {
    let file = try write(script, to: directory + "/mtobs-" + name)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
    return file
  }
}

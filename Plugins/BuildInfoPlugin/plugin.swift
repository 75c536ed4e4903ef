import Foundation
import PackagePlugin

/// Generates `BuildInfo.swift` (the commit mtobs is built from) for `mtobs version`.
///
/// Inputs are git's HEAD, its reflog and the index, so the file is regenerated after a commit,
/// a checkout or a change to what is staged, and not on every build. The package's source files
/// are inputs too: an unstaged edit touches none of git's files, yet must mark the build dirty.
@main
struct BuildInfoPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    let tool = try context.tool(named: "mtobs-build-info")
    let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
    let package = context.package.directoryURL
    let git = gitDirectory(holding: package)
    let gitFiles = ["HEAD", "logs/HEAD", "index"].compactMap { git?.appending(path: $0) }
      .filter { FileManager.default.fileExists(atPath: $0.path) }
    let sources = context.package.targets.flatMap { $0.sourceModule?.sourceFiles.map(\.url) ?? [] }
    return [
      .buildCommand(
        displayName: "Recording the commit mtobs is built from",
        executable: tool.url,
        arguments: [package.path, output.path],
        inputFiles: gitFiles + sources,
        outputFiles: [output])
    ]
  }

  /// The git directory for `directory`, searched upwards like git does. A linked worktree or a
  /// submodule has a `.git` file naming its own git directory, where its HEAD, reflog and index live.
  private func gitDirectory(holding directory: URL) -> URL? {
    var current = directory.standardizedFileURL
    while true {
      let dotGit = current.appending(path: ".git")
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) {
        if isDirectory.boolValue { return dotGit }
        guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
          let line = text.split(whereSeparator: \.isNewline).first, line.hasPrefix("gitdir:")
        else { return nil }
        let path = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
        return URL(fileURLWithPath: path, relativeTo: current).standardizedFileURL
      }
      let parent = current.deletingLastPathComponent()
      if parent.path == current.path { return nil }
      current = parent
    }
  }
}

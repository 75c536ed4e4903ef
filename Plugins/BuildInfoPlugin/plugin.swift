import Foundation
import PackagePlugin

/// Generates `BuildInfo.swift` (the commit mtobs is built from) for `mtobs version`.
///
/// Inputs are git's HEAD, its reflog and the index, so the file is regenerated after a commit,
/// a checkout or a change to what is staged, and not on every build.
@main
struct BuildInfoPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    let tool = try context.tool(named: "mtobs-build-info")
    let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
    let package = context.package.directoryURL
    let gitDirectory = package.appending(path: ".git")
    let inputs = ["HEAD", "logs/HEAD", "index"].map { gitDirectory.appending(path: $0) }
      .filter { FileManager.default.fileExists(atPath: $0.path) }
    return [
      .buildCommand(
        displayName: "Recording the commit mtobs is built from",
        executable: tool.url,
        arguments: [package.path, output.path],
        inputFiles: inputs,
        outputFiles: [output])
    ]
  }
}

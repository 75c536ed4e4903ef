import Foundation

/// What `mtobs version` shows: mtobs itself, the tools it drives, and the cluster.
public struct VersionReport: Sendable, Equatable, Encodable {
  public struct Tool: Sendable, Equatable, Encodable {
    public var name: String
    public var path: String?
    public var version: String?
    /// Why the version is unknown ("not found", a failure), when it is.
    public var problem: String?
  }

  public struct Server: Sendable, Equatable, Encodable {
    public var context: String?
    public var version: String?
    public var error: String?
    /// The full error, for the caller's message and exit code (not part of the JSON).
    public var failure: KubeError?

    private enum CodingKeys: String, CodingKey { case context, version, error }
  }

  public var mtobs: String
  public var commit: String?
  public var dirty: Bool
  public var tools: [Tool]
  public var server: Server?

  /// Asks the tools concurrently; nothing here throws: a missing tool is a line of the report.
  public static func collect(run: Run, includeServer: Bool) async -> VersionReport {
    let configuration = run.configuration
    async let kubectl = kubectlVersion(run: run, includeServer: includeServer)
    async let skaffold = toolVersion(
      run: run, name: "skaffold", setting: configuration.text(.skaffold), arguments: ["version"]
    )
    async let helm = toolVersion(
      run: run, name: "helm", setting: configuration.text(.helm), arguments: ["version", "--short"])
    let (kubectlTool, server) = await kubectl
    return VersionReport(
      mtobs: MtobsVersion.version, commit: MtobsVersion.commit, dirty: MtobsVersion.builtFromDirtyTree,
      tools: [kubectlTool, await skaffold, await helm], server: server)
  }

  private static func kubectlVersion(run: Run, includeServer: Bool) async -> (Tool, Server?) {
    let kube: KubeClient
    do {
      kube = try run.kube()
    } catch {
      // Without kubectl the cluster cannot be asked: that is the server's failure (exit 2), not
      // a silent blank line.
      let failure = error as? KubeError
      let server =
        includeServer
        ? Server(context: run.target.context, version: nil, error: failure?.message, failure: failure) : nil
      return (Tool(name: "kubectl", path: nil, version: nil, problem: "not found"), server)
    }
    do {
      var versions = try await kube.version(clientOnly: !includeServer)
      if versions.client == nil, includeServer {
        // A broken kubeconfig stops kubectl before it prints its own version; ask without it.
        versions.client = try await kube.version(clientOnly: true).client
      }
      let server =
        includeServer
        ? Server(
          context: kube.target.context, version: versions.server, error: versions.serverError?.message,
          failure: versions.serverError) : nil
      return (Tool(name: "kubectl", path: kube.kubectl, version: versions.client, problem: nil), server)
    } catch {
      return (Tool(name: "kubectl", path: kube.kubectl, version: nil, problem: "\(error)"), nil)
    }
  }

  private static func toolVersion(run: Run, name: String, setting: String, arguments: [String]) async -> Tool {
    guard let path = run.locator.locate(setting, relativeTo: run.workingDirectory) else {
      return Tool(name: name, path: nil, version: nil, problem: "not found")
    }
    do {
      let result = try await run.runner.run(Invocation(path, arguments), timeout: .seconds(10))
      let firstLine = result.outputText.split(separator: "\n").first.map(String.init)
      guard result.succeeded, let firstLine else {
        return Tool(
          name: name, path: path, version: nil, problem: "`\(name) \(arguments.joined(separator: " "))` failed")
      }
      return Tool(name: name, path: path, version: firstLine.trimmingCharacters(in: .whitespaces), problem: nil)
    } catch {
      return Tool(name: name, path: path, version: nil, problem: "\(error)")
    }
  }

  public func text() -> String {
    var commitText = commit.map { String($0.prefix(12)) } ?? "unknown commit"
    if dirty { commitText += ", modified tree" }
    var rows = [["mtobs", "\(mtobs) (\(commitText))", ""]]
    for tool in tools {
      rows.append([tool.name, tool.version ?? tool.problem ?? "unknown", tool.path ?? ""])
    }
    if let server {
      let where_ = server.context.map { "context \($0)" } ?? "current context"
      rows.append(["server", server.version ?? "unreachable: \(server.error ?? "no answer")", where_])
    }
    return TextTable.render(header: ["COMPONENT", "VERSION", "WHERE"], rows: rows)
  }

  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}

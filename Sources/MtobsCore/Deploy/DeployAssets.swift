import Foundation
import Yams

/// Where the deploy assets are: the current repository's root, its `deploy/`, or the copy shipped
/// with mtobs (installed under `<prefix>/share/mtobs/deploy`, or `deploy/` of the source tree
/// for a development build).
public enum DeployAssets {
  public static func candidates(repositoryRoot: String?, executablePath: String) -> [String] {
    var paths: [String] = []
    if let root = repositoryRoot {
      paths.append(root + "/skaffold.yaml")
      paths.append(root + "/deploy/skaffold.yaml")
    }
    let binDirectory = ((executablePath as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
    paths.append(((binDirectory + "/../share/mtobs/deploy/skaffold.yaml") as NSString).standardizingPath)
    // A development build lives in <source>/.build/<triple>/<configuration>/mtobs.
    var directory = binDirectory
    for _ in 0..<4 {
      directory = (directory as NSString).deletingLastPathComponent
      let candidate = directory + "/deploy/skaffold.yaml"
      if FileManager.default.fileExists(atPath: directory + "/Package.swift") {
        paths.append(candidate)
        break
      }
    }
    var seen = Set<String>()
    return paths.filter { seen.insert($0).inserted }
  }

  /// The first skaffold.yaml that exists.
  public static func locate(repositoryRoot: String?, executablePath: String) throws(DeployError) -> String {
    let paths = candidates(repositoryRoot: repositoryRoot, executablePath: executablePath)
    guard let found = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      throw DeployError.noSkaffoldFile(searched: paths)
    }
    return found
  }
}

/// `deploy/services.yaml`: the Services the assets produce and the workloads each release creates.
public struct DeployContract: Sendable, Equatable, Decodable {
  public struct Service: Sendable, Equatable, Decodable {
    public var name: String
    public var port: Int?
    public var ports: [String: Int]?
  }

  public struct Release: Sendable, Equatable, Decodable {
    public var name: String
    public var workloads: [String]?
  }

  public var services: [String: Service]
  public var grafanaSecret: String?
  public var releases: [Release]?

  public static func load(path: String) -> DeployContract? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return try? YAMLDecoder().decode(DeployContract.self, from: text)
  }

  /// Every workload (`Deployment/name`) the given releases create.
  public func workloads(of releaseNames: [String]) -> [String] {
    (releases ?? []).filter { releaseNames.contains($0.name) }.flatMap { $0.workloads ?? [] }
  }
}

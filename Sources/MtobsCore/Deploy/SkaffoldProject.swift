import Foundation
import Yams

/// The parts of a `skaffold.yaml` mtobs needs: profile names, and the helm releases and raw
/// manifests each profile deploys (so `--with helm` can do the same without skaffold).
public struct SkaffoldProject: Sendable, Equatable {
  public struct Release: Sendable, Equatable, Decodable {
    public var name: String
    public var remoteChart: String?
    public var chartPath: String?
    public var repo: String?
    public var version: String?
    public var namespace: String?
    public var createNamespace: Bool?
    public var valuesFiles: [String]?
    public var setValues: [String: String]?
    public var wait: Bool?
  }

  public struct Profile: Sendable, Equatable {
    public var name: String
    public var releases: [Release]
    public var manifests: [String]
  }

  /// The file it was read from; relative paths in it are relative to its folder.
  public let path: String
  public let profiles: [Profile]
  /// What `skaffold run` without `-p` deploys.
  public let base: Profile

  public var directory: String { (path as NSString).deletingLastPathComponent }
  public var profileNames: [String] { profiles.map(\.name) }

  public func profile(named name: String) -> Profile? { profiles.first { $0.name == name } }

  /// Reads a skaffold.yaml. Only the helm and rawYaml parts are interpreted; a profile that
  /// replaces `deploy` or `manifests` replaces the base's, as skaffold does.
  public static func load(path: String) throws(DeployError) -> SkaffoldProject {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw DeployError.unreadableSkaffold(path: path, reason: error.localizedDescription)
    }
    return try parse(text, path: path)
  }

  public static func parse(_ text: String, path: String) throws(DeployError) -> SkaffoldProject {
    let document: Document
    do {
      // A skaffold.yaml may hold several configs; mtobs deploys the first (`metadata.name` is for humans).
      guard let first = try Yams.load_all(yaml: text).first(where: { _ in true }) else {
        throw DeployError.unreadableSkaffold(path: path, reason: "the file is empty")
      }
      let yaml = try Yams.dump(object: first)
      document = try YAMLDecoder().decode(Document.self, from: yaml)
    } catch let error as DeployError {
      throw error
    } catch {
      throw DeployError.unreadableSkaffold(path: path, reason: "\(error)")
    }
    let baseReleases = document.deploy?.helm?.releases ?? []
    let baseManifests = document.manifests?.rawYaml ?? []
    let profiles = (document.profiles ?? []).map { profile in
      Profile(
        name: profile.name,
        releases: profile.deploy?.helm?.releases ?? baseReleases,
        manifests: profile.manifests?.rawYaml ?? baseManifests)
    }
    return SkaffoldProject(
      path: path, profiles: profiles, base: Profile(name: "", releases: baseReleases, manifests: baseManifests))
  }

  private struct Document: Decodable {
    var deploy: Deploy?
    var manifests: Manifests?
    var profiles: [ProfileDocument]?
  }

  private struct ProfileDocument: Decodable {
    var name: String
    var deploy: Deploy?
    var manifests: Manifests?
  }

  private struct Deploy: Decodable {
    var helm: Helm?
  }

  private struct Helm: Decodable {
    var releases: [Release]?
  }

  private struct Manifests: Decodable {
    var rawYaml: [String]?
  }
}

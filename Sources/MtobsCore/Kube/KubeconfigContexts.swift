import Foundation
import Yams

/// The context names of the kubeconfig files kubectl would merge (`--kubeconfig`, else every file
/// of `KUBECONFIG`, else `~/.kube/config`), read from the files without starting kubectl or
/// reaching a cluster: what TAB offers after `--context`.
public enum KubeconfigContexts {
  public static func names(kubeconfig: String?, environment: [String: String]) -> [String] {
    var names: [String] = []
    for file in files(kubeconfig: kubeconfig, environment: environment) {
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
      names += parse(text)
    }
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
  }

  /// The `contexts[].name` values of one kubeconfig document (pure; nothing for a broken file).
  public static func parse(_ text: String) -> [String] {
    // Plain strings only (`Resolver.basic`): see KubeconfigCurrentContext.
    guard let document = (try? Yams.load(yaml: text, .basic)) as? [String: Any],
      let contexts = document["contexts"] as? [Any]
    else { return [] }
    return contexts.compactMap { ($0 as? [String: Any])?["name"] as? String }.filter { !$0.isEmpty }
  }

  static func files(kubeconfig: String?, environment: [String: String]) -> [String] {
    if let kubeconfig, !kubeconfig.isEmpty { return [kubeconfig] }
    if let list = environment["KUBECONFIG"], !list.isEmpty {
      return list.split(separator: ":").map(String.init)
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return [(home as NSString).appendingPathComponent(".kube/config")]
  }
}

import Foundation
import Yams

/// The kubeconfig's current context, read the way kubectl reads it (the first file of
/// `--kubeconfig`, else of `KUBECONFIG`'s list, else `~/.kube/config`, that sets
/// `current-context`), without starting kubectl: a run resolves its context once at the start
/// and its one `kubectl proxy` is then the only kubectl process. Only that one name is read;
/// credentials stay kubectl's business.
public enum KubeconfigCurrentContext {
  public static func read(kubeconfig: String?, environment: [String: String]) -> String? {
    let files: [String]
    if let kubeconfig {
      files = [kubeconfig]
    } else if let list = environment["KUBECONFIG"], !list.isEmpty {
      files = list.split(separator: ":").map(String.init)
    } else {
      let home = environment["HOME"] ?? NSHomeDirectory()
      files = [(home as NSString).appendingPathComponent(".kube/config")]
    }
    for file in files {
      // Plain strings only (`Resolver.basic`): the default resolver matches every scalar of the
      // file (certificates included) against regular expressions, which costs milliseconds on the
      // way to starting kubectl proxy, and a context name is a string anyway.
      guard let text = try? String(contentsOfFile: file, encoding: .utf8),
        let document = (try? Yams.load(yaml: text, .basic)) as? [String: Any],
        let name = document["current-context"] as? String, !name.isEmpty, !["null", "~", "Null", "NULL"].contains(name)
      else { continue }
      return name
    }
    return nil
  }
}

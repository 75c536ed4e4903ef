import Foundation

extension StandInAPIServer {
  /// The bearer token written into kubeconfigs (set `behavior.requiredToken` to make the server check it).
  public static let defaultToken = "standin-token"

  /// Writes a kubeconfig for this server: one cluster (`http://127.0.0.1:PORT`), one token user, the
  /// context `context` (current) plus `extraContexts`, all pointing at this server.
  public func writeKubeconfig(
    to path: String, context: String = "standin", namespace: String? = nil, extraContexts: [String] = [],
    token: String? = nil
  ) throws {
    let text = Self.kubeconfig(
      server: url, context: context, namespace: namespace, extraContexts: extraContexts,
      token: token ?? behavior.requiredToken ?? Self.defaultToken)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  /// The kubeconfig text `writeKubeconfig` writes.
  public static func kubeconfig(
    server: String, context: String = "standin", namespace: String? = nil, extraContexts: [String] = [],
    token: String = defaultToken
  ) -> String {
    let contexts = [context] + extraContexts.filter { $0 != context }
    let contextList = contexts.map { name -> JSONValue in
      var entry: JSONValue = ["cluster": "standin", "user": "standin-user"]
      if let namespace { entry["namespace"] = .string(namespace) }
      return ["name": .string(name), "context": entry]
    }
    let config: JSONValue = [
      "apiVersion": "v1", "kind": "Config", "preferences": [:],
      "clusters": [["name": "standin", "cluster": ["server": .string(server)]]],
      "users": [["name": "standin-user", "user": ["token": .string(token)]]],
      "contexts": .array(contextList),
      "current-context": .string(context),
    ]
    return (try? config.yaml()) ?? config.serialized(pretty: true)
  }
}

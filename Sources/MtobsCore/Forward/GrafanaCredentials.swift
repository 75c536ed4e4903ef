import Foundation

/// Grafana's admin user and password, read from the cluster Secret the chart creates (keys
/// `admin-user` and `admin-password`). Printed only by `mtobs grafana`; never echoed by `-v`
/// (the Secret is read over the API transport, whose trace shows paths only).
public struct GrafanaCredentials: Sendable, Equatable {
  public var user: String
  public var password: String

  public init(user: String, password: String) {
    self.user = user
    self.password = password
  }

  public static let userKey = "admin-user"
  public static let passwordKey = "admin-password"

  /// The credentials, or why they could not be read (for people: no value in it).
  public static func read(kube: KubeClient, secret: String) async -> Result<GrafanaCredentials, CommandFailure> {
    let object: KubeObject?
    do {
      object = try await kube.get(kind: "secrets", name: secret, namespace: kube.target.namespace)
    } catch let error as KubeError {
      return .failure(CommandFailure("cannot read Secret '\(secret)': \(error.message)", hint: error.hint))
    } catch {
      return .failure(CommandFailure("cannot read Secret '\(secret)': \(error)"))
    }
    guard let object else {
      return .failure(
        CommandFailure(
          "no Secret '\(secret)' in namespace '\(kube.target.namespace)'",
          hint: "set 'grafana.secret' in mtobs.yaml to the Secret holding Grafana's admin credentials"))
    }
    return credentials(in: object, secret: secret)
  }

  /// The two keys of the Secret's `data`, base64-decoded.
  public static func credentials(in object: KubeObject, secret: String) -> Result<GrafanaCredentials, CommandFailure> {
    func value(_ key: String) -> String? {
      guard let encoded = object.raw[path: "data", key]?.string, let data = Data(base64Encoded: encoded) else {
        return object.raw[path: "stringData", key]?.string
      }
      return String(data: data, encoding: .utf8)
    }
    guard let user = value(userKey), let password = value(passwordKey) else {
      return .failure(
        CommandFailure(
          "Secret '\(secret)' has no '\(userKey)' and '\(passwordKey)'",
          hint: "set 'grafana.secret' in mtobs.yaml to the Secret holding Grafana's admin credentials"))
    }
    return .success(GrafanaCredentials(user: user, password: password))
  }
}

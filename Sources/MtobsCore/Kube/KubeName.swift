/// Kubernetes name rules, checked before a name goes into an API path or a kubectl argument: a
/// namespace such as `../secrets` or `a/b` must be refused by mtobs, not interpreted by a server.
public enum KubeName {
  /// An RFC 1123 label (namespaces, most names): lower-case alphanumerics and '-', starting and
  /// ending alphanumeric, at most 63 characters.
  public static func isLabel(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard (1...63).contains(bytes.count) else { return false }
    func alphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
    guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else { return false }
    return bytes.allSatisfy { alphanumeric($0) || $0 == 0x2D }
  }

  /// An RFC 1123 subdomain (pod, Secret, ConfigMap names): dot-separated labels, at most 253.
  public static func isSubdomain(_ name: String) -> Bool {
    guard (1...253).contains(name.utf8.count) else { return false }
    return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isLabel(String($0)) }
  }

  /// Why `name` is not a label, for an error message; nil when it is one.
  public static func labelProblem(_ name: String, what: String) -> String? {
    guard !isLabel(name) else { return nil }
    return
      "\(what) '\(name)' is not a valid Kubernetes name: use lower-case letters, digits and '-', "
      + "starting and ending with a letter or digit, at most 63 characters"
  }
}

import Foundation

/// What `mtobs bundle` removes before anything leaves the cluster (pure). A bundle is meant to be
/// attached to a ticket, so everything that looks like a credential goes, at the price of
/// sometimes removing a harmless value:
///
/// - Secret objects' `data` and `stringData`; `managedFields`; the last-applied annotation.
/// - Values of annotations and environment variables whose name looks secret (`looksSecret`),
///   of `{name, value}` headers such as `Authorization`, and of every entry of a `headers` list or
///   map (a Dapr Configuration's `otel.headers`: they carry credentials under any name).
/// - In every string (container args and commands, env values, annotations, event messages,
///   log lines, probe answers):
///   - the password of URLs (`https://user:pass@host` → `https://user:<redacted by mtobs>@host`);
///   - `NAME=VALUE`, `"NAME": "VALUE"` and `--NAME VALUE` when NAME looks secret
///     (`--password=x`, `GF_SECURITY_ADMIN_PASSWORD=x`, `?token=x`, `"apikey":"x"`);
///   - what follows `Bearer `;
///   - YAML `NAME: VALUE` (block or flow style, as in the collector's configuration:
///     `api_key: x`, `headers: {authorization: "Basic x"}`) when NAME looks secret or names a
///     credential-carrying header (`looksSecretField`).
/// - In argument lists, the item after `--NAME` or `-NAME` when NAME looks secret.
enum BundleRedaction {
  static let marker = "<redacted by mtobs>"
  static let redacted = JSONValue.string(marker)

  /// Names (env vars, flags, annotation keys, `NAME=` in text) whose values must not leave the
  /// cluster: a part (split at `_`, `-`, `.`, `/`) naming a password, secret, token or credential,
  /// or ending in `key` (`API_KEY`, `apikey`, `AccessKey`).
  static func looksSecret(_ name: String) -> Bool {
    let parts = name.lowercased().split { !$0.isLetter && !$0.isNumber }
    return parts.contains { part in
      ["password", "passwd", "passphrase", "secret", "token", "credential", "private"].contains {
        part.contains($0)
      } || ["pass", "pwd", "auth"].contains(part) || part.hasSuffix("key")
    }
  }

  /// `looksSecret`, plus HTTP headers that carry credentials whole (`authorization` is not
  /// secret as a word: `rbac.authorization.k8s.io` annotations would lose harmless values).
  static func looksSecretField(_ name: String) -> Bool {
    looksSecret(name) || ["authorization", "proxy-authorization", "cookie"].contains(name.lowercased())
  }

  // MARK: - Objects

  /// Drops Secret data, last-applied copies (they can hold anything) and managed fields, and masks
  /// every secret-looking value anywhere in the object.
  static func sanitize(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let text): return .string(redact(text))
    case .array(let items): return .array(redactingFlagValues(items).map(sanitize))
    case .object(var object):
      if object["kind"]?.string == "Secret" {
        object["data"] = nil
        object["stringData"] = nil
      }
      if case .object(var metadata)? = object["metadata"] {
        metadata["managedFields"] = nil
        if case .object(var annotations)? = metadata["annotations"] {
          annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil
          for key in annotations.keys where looksSecret(key) { annotations[key] = redacted }
          metadata["annotations"] = .object(annotations)
        }
        object["metadata"] = .object(metadata)
      }
      // An env entry or header (`{name, value}`) whose name looks secret (`Authorization` too).
      if let name = object["name"]?.string, object["value"] != nil, looksSecretField(name) {
        object["value"] = redacted
      }
      // Header lists (a Dapr Configuration's `otel.headers`) exist to carry credentials, under any
      // name (`x-honeycomb-team`): every value goes.
      switch object["headers"] {
      case .array(let headers)?:
        object["headers"] = .array(
          headers.map { header in
            guard case .object(var fields) = header, fields["value"] != nil else { return header }
            fields["value"] = redacted
            return .object(fields)
          })
      case .object(let headers)?:
        object["headers"] = .object(headers.mapValues { _ in redacted })
      default: break
      }
      return .object(object.mapValues(sanitize))
    default: return value
    }
  }

  /// `["--token", "abc"]` → `["--token", "<redacted>"]`: the value of a secret-looking flag given
  /// as the next item.
  static func redactingFlagValues(_ items: [JSONValue]) -> [JSONValue] {
    var items = items
    for index in items.indices.dropLast() {
      guard let flag = items[index].string, flag.hasPrefix("-"), !flag.contains("="),
        looksSecret(String(flag.drop { $0 == "-" })),
        let next = items[index + 1].string, !next.hasPrefix("-")
      else { continue }
      items[index + 1] = redacted
    }
    return items
  }

  // MARK: - Free text

  private static func regex(_ pattern: String) -> NSRegularExpression {
    // The patterns are constants; a typo is a programming error caught by the tests.
    try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
  }

  /// `scheme://user:password@` (group 1 is everything before the password's colon).
  private static let urlPassword = regex(#"([a-z][a-z0-9+.\-]*://[^\s/:@]*):([^\s/]+)@"#)
  /// `Bearer TOKEN` (group 1: the word and the space).
  private static let bearer = regex(#"\b(bearer\s+)[^\s"',;]+"#)
  /// `NAME=VALUE` (group 1: name, group 2: value, quoted or up to a separator). The value is a
  /// lookahead so that a harmless `config=a.apikey=x` does not hide the `apikey=x` inside it.
  private static let assignment = regex(#"([a-z_][a-z0-9_.\-]*)=(?=("[^"]*"|'[^']*'|[^\s"'&,;]+))"#)
  /// `"NAME": "VALUE"` as JSON logs write it.
  private static let jsonField = regex(#""([^"\\]+)"(\s*:\s*)"(?:[^"\\]|\\.)*""#)
  /// YAML `NAME: VALUE` on its own line (group 1: indentation and `- `, 3: name, 4: the colon and
  /// spaces); the value runs to the end of the line.
  private static let yamlBlockField = regex(
    #"(?m)^([ \t]*(?:-[ \t]+)?)(["']?)([a-z_][a-z0-9_.\-]*)\2([ \t]*:[ \t]+)(?=([^\s|>#][^\n]*))"#)
  /// YAML `NAME: VALUE` inside `{…}` (group 1: `{` or `,` and spaces); the value ends at `,` or `}`.
  private static let yamlFlowField = regex(
    #"([{,][ \t]*)(["']?)([a-z_][a-z0-9_.\-]*)\2([ \t]*:[ \t]+)(?=("[^"\n]*"|'[^'\n]*'|[^\s,}][^,}\n]*))"#)
  /// `--NAME VALUE` within one string (a logged or shell command line).
  private static let flagAndValue = regex(#"(?<![\w-])(--?([a-z][a-z0-9_.\-]*))([ \t]+)([^\s"'&,;\-][^\s"'&,;]*)"#)

  /// The text with every credential-looking value replaced by the marker.
  static func redact(_ text: String) -> String {
    // Most strings hold none of the shapes; skip the regular expressions for them.
    guard
      text.contains("=") || text.contains("://") || text.contains("\"") || text.contains(" -") || text.contains(": ")
        || text.hasPrefix("-") || text.range(of: "bearer", options: .caseInsensitive) != nil
    else { return text }
    var result = text
    result = replace(urlPassword, in: result) { groups in "\(groups[1]):\(marker)@" }
    result = replace(bearer, in: result) { groups in groups[1] + marker }
    result = replace(assignment, in: result) { groups in
      looksSecret(groups[1]) ? "\(groups[1])=\(marker)" : nil
    }
    result = replace(jsonField, in: result) { groups in
      looksSecret(groups[1]) ? "\"\(groups[1])\"\(groups[2])\"\(marker)\"" : nil
    }
    for field in [yamlBlockField, yamlFlowField] {
      result = replace(field, in: result) { groups in
        looksSecretField(groups[3]) ? groups[1] + groups[2] + groups[3] + groups[2] + groups[4] + marker : nil
      }
    }
    result = replace(flagAndValue, in: result) { groups in
      looksSecret(groups[2]) ? groups[1] + groups[3] + marker : nil
    }
    return result
  }

  /// Replaces each match, through the end of its last group (lookaheads included), by
  /// `transform(groups)` (missing groups are ""); nil keeps the text. A match that starts inside
  /// text already replaced is skipped.
  private static func replace(
    _ expression: NSRegularExpression, in text: String, _ transform: ([String]) -> String?
  ) -> String {
    let whole = text as NSString
    let matches = expression.matches(in: text, range: NSRange(location: 0, length: whole.length))
    guard !matches.isEmpty else { return text }
    var result = ""
    var copied = 0
    for match in matches where match.range.location >= copied {
      let ranges = (0..<match.numberOfRanges).map { match.range(at: $0) }
      let groups = ranges.map { $0.location == NSNotFound ? "" : whole.substring(with: $0) }
      guard let replacement = transform(groups) else { continue }
      let end = ranges.filter { $0.location != NSNotFound }.map { $0.location + $0.length }.max() ?? 0
      result += whole.substring(with: NSRange(location: copied, length: match.range.location - copied))
      result += replacement
      copied = max(end, match.range.location + match.range.length)
    }
    return result + whole.substring(from: copied)
  }
}

import Foundation

/// Reads what kubectl's `-v=6` log says about the HTTP answers it got, so a failed call is
/// classified by its real status and body (`APIFailure`) rather than by kubectl's wording.
///
/// At `-v=6` kubectl logs every request with its status
/// (`round_trippers.go:560] GET https://…/path?timeout=10s 503 Service Unavailable in 2 milliseconds`),
/// each Retry-After it obeys (`Got a Retry-After 30s response for attempt 1 to …`) and, at exit,
/// the Status it reports (`helpers.go:246] server response object: %s[{…}]`), whose causes hold a
/// non-Status body's text.
enum KubectlLog {
  /// The last answer kubectl got, when that answer was an HTTP failure.
  struct Answer {
    var status: Int
    var body: [UInt8]
    var headers: [(String, String)]
    var path: String?
  }

  /// The verbosity that makes kubectl log the above.
  static let verbosity = "-v=6"

  /// nil when kubectl's last request got no HTTP answer (a network failure) or a successful one.
  static func lastAnswer(in log: String) -> Answer? {
    let lines = log.split(whereSeparator: \.isNewline).map(String.init)
    var last: (status: Int?, path: String?)?
    var retryAfter: String?
    for line in lines {
      guard let text = stripPrefix(line) else { continue }
      if let request = requestLine(text) { last = request }
      if let match = text.firstMatch(of: #/Got a Retry-After (\d+)s response/#) { retryAfter = String(match.1) }
    }
    guard let last, let status = last.status, status >= 400 else { return nil }
    var headers: [(String, String)] = retryAfter.map { [("Retry-After", $0)] } ?? []
    let reported = reportedStatus(in: lines)
    // kubectl wraps a body that was not a Status (a backend's text) as an "unexpected" response;
    // "unknown" means the body was not text at all.
    if let cause = reported?[path: "details", "causes"]?.array?.first(where: {
      $0["reason"]?.string == "UnexpectedServerResponse"
    }) {
      let text = cause["message"]?.string ?? ""
      headers.append(("Content-Type", "text/plain"))
      return Answer(status: status, body: text == "unknown" ? [] : Array(text.utf8), headers: headers, path: last.path)
    }
    var object = reported?.object
    if object == nil, let (reason, message) = errorFromServer(in: lines) {
      object = ["reason": .string(reason), "message": .string(message), "status": .string("Failure")]
    }
    guard var object else { return Answer(status: status, body: [], headers: headers, path: last.path) }
    object["kind"] = .string("Status")
    let body = (try? JSONEncoder().encode(JSONValue.object(object))).map { Array($0) } ?? []
    headers.append(("Content-Type", "application/json"))
    return Answer(status: status, body: body, headers: headers, path: last.path)
  }

  /// kubectl's own words, without its info lines and with klog prefixes removed
  /// (`E1129 10:00:00.123456 1234 memcache.go:265] "Unhandled Error" err="…"` → `…`).
  static func messages(in log: String) -> [String] {
    log.split(whereSeparator: \.isNewline).compactMap { line -> String? in
      let line = String(line)
      if line.first == "I", klogPrefix(line) != nil { return nil }
      guard let text = stripPrefix(line) else { return nil }
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      return trimmed.isEmpty ? nil : trimmed
    }
  }

  /// The line without its klog header; structured `"Msg" err="…"` becomes the error text.
  static func stripPrefix(_ line: String) -> String? {
    guard let end = klogPrefix(line) else { return line }
    let text = String(line[end...])
    if let match = text.firstMatch(of: #/^"[^"]*" err="(.*)"$/#) {
      return String(match.1).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    }
    return text
  }

  /// Where the text after `E1129 10:00:00.123456    1234 file.go:265] ` starts, if `line` has that header.
  static func klogPrefix(_ line: String) -> String.Index? {
    line.firstMatch(of: #/^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^\s\]]+:\d+\] /#)?.range.upperBound
  }

  /// `GET https://host/path?q 503 Service Unavailable in 2 milliseconds` → (503, /path);
  /// a request that got no answer logs an empty status (`GET https://host/path  in 0 milliseconds`).
  static func requestLine(_ text: String) -> (status: Int?, path: String?)? {
    guard
      let match = text.firstMatch(
        of: #/^(?:GET|POST|PUT|PATCH|DELETE|HEAD) (\S+) (\d{3})?.* in \d+ milliseconds$/#)
    else { return nil }
    let path = URLComponents(string: String(match.1))?.percentEncodedPath
    return (match.2.flatMap { Int($0) }, path)
  }

  /// The Status object kubectl reports at exit (`server response object: %s[{…}]`).
  static func reportedStatus(in lines: [String]) -> JSONValue? {
    guard let start = lines.lastIndex(where: { $0.contains("server response object: ") }),
      let open = lines[start].range(of: "server response object: ")
    else { return nil }
    var first = String(lines[start][open.upperBound...])
    if first.hasPrefix("%s") { first.removeFirst(2) }
    var text = first
    var index = start + 1
    while (try? JSONValue.decode(Array(text.utf8))) == nil, index < lines.count, index < start + 200 {
      text += "\n" + lines[index]
      index += 1
    }
    guard let json = try? JSONValue.decode(Array(text.utf8)) else { return nil }
    return json.array?.first ?? json
  }

  /// `Error from server (ServiceUnavailable): no endpoints …` → ("ServiceUnavailable", "no endpoints …").
  static func errorFromServer(in lines: [String]) -> (String, String)? {
    for line in lines.reversed() {
      if let match = line.firstMatch(of: #/^Error from server \(([A-Za-z]+)\): (.*)$/#) {
        return (String(match.1), String(match.2))
      }
    }
    return nil
  }
}

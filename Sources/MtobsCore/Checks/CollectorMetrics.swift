import Foundation

/// The collector's own metrics (`:8888/metrics`, Prometheus text format), reduced to what the
/// checks read. Hand-written because only a few lines of the exposition format matter here and no
/// Swift package parses it without a whole Prometheus client.
public struct CollectorMetrics: Sendable, Equatable {
  public struct Sample: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var value: Double
  }

  public var samples: [Sample]
  /// Lines that are neither blank, a comment nor a sample, and the first of them (for messages).
  public var malformedLineCount = 0
  public var firstMalformedLine: String?

  public init(parsing text: String) {
    samples = []
    for line in text.split(whereSeparator: \.isNewline) {
      if let sample = Self.parse(line: line) {
        samples.append(sample)
      } else if !Self.isBlankOrComment(line) {
        malformedLineCount += 1
        if firstMalformedLine == nil { firstMalformedLine = String(line.prefix(80)) }
      }
    }
  }

  /// Whether the text read as Prometheus exposition text at all: at least one sample. A collector
  /// always exposes some (its own uptime, at least); an empty body, an HTML page or another
  /// program's answer has none, and must not read as "no failures".
  public var isPrometheusText: Bool { !samples.isEmpty }

  static func isBlankOrComment(_ line: Substring) -> Bool {
    let trimmed = line.drop { $0.isWhitespace }
    return trimmed.isEmpty || trimmed.hasPrefix("#")
  }

  /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, the metric names of the exposition format.
  static func isMetricName(_ name: String) -> Bool {
    func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
      ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == ":"
    }
    guard let first = name.unicodeScalars.first, isNameStart(first) else { return false }
    return name.unicodeScalars.allSatisfy { isNameStart($0) || ("0"..."9").contains($0) }
  }

  /// Sum of a counter or gauge per value of `label` (samples without it sum under ""). Current
  /// collectors add `_total` to counters, older ones do not; both spellings count. NaN samples
  /// are left out so one of them does not poison a sum.
  public func sum(_ name: String, by label: String) -> [String: Double] {
    var totals: [String: Double] = [:]
    for sample in samples where Self.matches(sample.name, name) && !sample.value.isNaN {
      totals[sample.labels[label] ?? "", default: 0] += sample.value
    }
    return totals
  }

  /// Sum over every sample of `name` (with or without `_total`).
  public func total(_ name: String) -> Double { sum(name, by: "").values.reduce(0, +) }

  /// Whether the collector exposes `name` at all (with or without `_total`).
  public func contains(_ name: String) -> Bool { samples.contains { Self.matches($0.name, name) } }

  private static func matches(_ sample: String, _ name: String) -> Bool {
    sample == name || (sample.hasSuffix("_total") && sample.dropLast(6) == name)
  }

  /// `name{a="b",c="d"} 12.5 [timestamp]`; comments, blank and malformed lines give nil.
  static func parse(line: Substring) -> Sample? {
    let line = line.trimmingCharacters(in: .whitespaces)
    guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
    var labels: [String: String] = [:]
    let name: String
    var rest: Substring
    if let brace = line.firstIndex(of: "{") {
      name = String(line[..<brace])
      guard let parsed = parseLabels(line[line.index(after: brace)...]) else { return nil }
      labels = parsed.labels
      rest = parsed.rest
    } else {
      guard let space = line.firstIndex(where: \.isWhitespace) else { return nil }
      name = String(line[..<space])
      rest = line[space...]
    }
    guard let field = rest.split(whereSeparator: \.isWhitespace).first else { return nil }
    let value: Double? =
      switch field {
      case "+Inf": .infinity
      case "-Inf": -.infinity
      case "NaN": .nan
      default: Double(field)
      }
    guard let value, isMetricName(name) else { return nil }
    return Sample(name: name, labels: labels, value: value)
  }

  /// Reads `a="b",c="d\"e"}` and returns the labels and what follows the closing brace.
  private static func parseLabels(_ text: Substring) -> (labels: [String: String], rest: Substring)? {
    var labels: [String: String] = [:]
    var index = text.startIndex
    while index < text.endIndex {
      while index < text.endIndex, text[index] == "," || text[index] == " " { index = text.index(after: index) }
      guard index < text.endIndex else { return nil }
      if text[index] == "}" { return (labels, text[text.index(after: index)...]) }
      guard let equals = text[index...].firstIndex(of: "=") else { return nil }
      let key = String(text[index..<equals]).trimmingCharacters(in: .whitespaces)
      index = text.index(after: equals)
      guard index < text.endIndex, text[index] == "\"" else { return nil }
      index = text.index(after: index)
      var value = ""
      while index < text.endIndex, text[index] != "\"" {
        if text[index] == "\\", text.index(after: index) < text.endIndex {
          index = text.index(after: index)
          value.append(text[index] == "n" ? "\n" : text[index])
        } else {
          value.append(text[index])
        }
        index = text.index(after: index)
      }
      guard index < text.endIndex else { return nil }
      index = text.index(after: index)
      labels[key] = value
    }
    return nil
  }
}

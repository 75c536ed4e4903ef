/// "Did you mean …?" suggestions for mistyped names, as git and kubectl print them.
public enum Suggestions {
  /// The candidates closest to `input` (edit distance ≤ 2, or a shared prefix of 3+), best first.
  public static func closest(to input: String, among candidates: [String], limit: Int = 3) -> [String] {
    let scored = candidates.compactMap { candidate -> (String, Int)? in
      let distance = editDistance(input, candidate)
      let sharesPrefix = input.count >= 3 && candidate.hasPrefix(input)
      guard distance <= 2 || sharesPrefix else { return nil }
      return (candidate, sharesPrefix ? min(distance, 1) : distance)
    }
    return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
  }

  /// Levenshtein distance with adjacent transpositions counted as one edit ("helath" → "health").
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + [Int](repeating: 0, count: b.count)
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previousPrevious[j - 2] + 1)
        }
      }
      previousPrevious = previous
      previous = current
    }
    return previous[b.count]
  }
}

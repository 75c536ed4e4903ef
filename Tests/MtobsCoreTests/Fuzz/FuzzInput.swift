import Foundation

/// SplitMix64: a tiny deterministic generator, so a failing fuzz case is the same on every run
/// and can be replayed from its seed and index.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// Inputs for parsers of outside input: random text from an alphabet, and valid samples damaged
/// the ways real input is (cut short, bytes flipped, numbers too big, NaN/Inf, deep nesting).
struct FuzzInput {
  var random: SplitMix64

  init(seed: UInt64) { random = SplitMix64(seed: seed) }

  /// `count` iterations, times `MTOBS_FUZZ_SCALE` (default 1): the defaults keep each test to a
  /// few seconds in a debug build; a longer run (`MTOBS_FUZZ_SCALE=20`) searches further.
  static func iterations(_ count: Int) -> Int {
    let scale = ProcessInfo.processInfo.environment["MTOBS_FUZZ_SCALE"].flatMap { Int($0) } ?? 1
    return count * max(1, min(scale, 1000))
  }

  /// Values that break naive number handling.
  static let hostileNumbers = [
    "9999999999999999999999999", "1e400", "-1e400", "1e308", "9.3e18", "9223372036854775808", "-9223372036854775809",
    "NaN", "nan", "Inf", "+Inf", "-Inf", "infinity", "0x1p1023", "1e-400", "-0", ".", "..", "1.2.3", "",
    String(repeating: "9", count: 500), "2562047788016h", "9999999999999999h",
  ]

  /// Fragments that break naive text handling.
  static let hostileFragments = [
    "\u{0}", "\u{1B}[2J", "\r\n", "\n", "\t", "\"", "\\", "{", "}", "[", "]", ":", ",", "=", "#", "&a", "*a", "<<: *a",
    "🙂", "\u{FEFF}", "\u{202E}", "é", "\u{D7FF}", "---", "...", "- ", "? ", "!!binary", "%YAML 1.1",
  ]

  mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }
  mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }
  mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

  /// Random text of up to `maximumLength` characters drawn from `alphabet` and the hostile lists.
  mutating func text(alphabet: [String], maximumLength: Int) -> String {
    var text = ""
    for _ in 0..<int(0..<(maximumLength + 1)) {
      switch int(0..<10) {
      case 0: text += pick(Self.hostileNumbers)
      case 1: text += pick(Self.hostileFragments)
      default: text += pick(alphabet)
      }
    }
    return text
  }

  /// `sample` damaged one to three times.
  mutating func mutation(of sample: String) -> String {
    var bytes = Array(sample.utf8)
    for _ in 0..<int(1..<4) { mutate(&bytes) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Same, as raw bytes (may not be UTF-8 at all).
  mutating func mutation(of sample: [UInt8]) -> [UInt8] {
    var bytes = sample
    for _ in 0..<int(1..<4) { mutate(&bytes) }
    return bytes
  }

  private mutating func mutate(_ bytes: inout [UInt8]) {
    let position = bytes.isEmpty ? 0 : int(0..<bytes.count)
    switch int(0..<9) {
    case 0:  // cut short
      bytes.removeSubrange(position...)
    case 1:  // flip a byte
      if !bytes.isEmpty { bytes[position] ^= UInt8.random(in: 1...255, using: &random) }
    case 2:  // a number replaced by a hostile one
      if let digits = bytes[position...].firstIndex(where: { (0x30...0x39).contains($0) }) {
        let end = bytes[digits...].firstIndex { !(0x30...0x39).contains($0) && $0 != 0x2E } ?? bytes.endIndex
        bytes.replaceSubrange(digits..<end, with: Array(pick(Self.hostileNumbers).utf8))
      }
    case 3:  // a hostile fragment inserted
      bytes.insert(contentsOf: Array(pick(Self.hostileFragments).utf8), at: position)
    case 4:  // deep nesting
      let depth = int(1..<1200)
      let (open, close) = pick([("[", "]"), ("{\"a\":", "}"), ("- ", ""), ("a: {", "}"), ("(", ")")])
      let nested = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
      bytes.insert(contentsOf: Array(nested.utf8), at: position)
    case 5:  // a slice deleted
      let end = min(bytes.count, position + int(1..<64))
      bytes.removeSubrange(position..<end)
    case 6:  // a slice repeated
      let end = min(bytes.count, position + int(1..<64))
      bytes.insert(contentsOf: Array(bytes[position..<end]), at: end)
    case 7:  // random bytes, invalid UTF-8 included
      bytes.insert(contentsOf: (0..<int(1..<16)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position)
    default:  // a huge run of one character
      bytes.insert(contentsOf: Array(repeating: pick(Array("9a\"{[ #-:".utf8)), count: int(1..<4000)), at: position)
    }
  }
}

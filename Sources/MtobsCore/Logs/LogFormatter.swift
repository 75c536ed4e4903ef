/// One container's log stream: what its lines are labelled with.
public struct LogStreamID: Sendable, Hashable {
  public var namespace: String
  public var pod: String
  public var container: String
  public var node: String
  /// The pod's uid: a pod recreated under the same name (a StatefulSet's) is a new stream.
  public var podUID: String

  public init(namespace: String, pod: String, container: String, node: String, podUID: String = "") {
    self.namespace = namespace
    self.pod = pod
    self.container = container
    self.node = node
    self.podUID = podUID
  }

  /// `namespace/pod/container`: the stream's identity across reconnects.
  public var key: String { "\(namespace)/\(pod)/\(container)" }
}

/// Turns lines into output bytes: `pod/container message` with a stable colour per stream, or one
/// JSON object per line. Appends to a batch (one write per chunk of lines, never a partial line).
public struct LogFormatter: Sendable {
  public enum Format: String, Sendable, CaseIterable { case text, json }

  public var format: Format
  public var timestamps: Bool
  public var color: Bool

  public init(format: Format, timestamps: Bool, color: Bool) {
    self.format = format
    self.timestamps = timestamps
    self.color = color
  }

  /// Whether the lines it prints show the API server's timestamp (`--timestamps`, JSON).
  public var showsTimestamps: Bool { timestamps || format == .json }

  /// ANSI colours that read on dark and light terminals; a stream keeps its colour across runs.
  static let palette: [String] = ["32", "33", "34", "35", "36", "31", "92", "93", "94", "95", "96", "91"]

  /// The bytes put before each line of `stream` (computed once per stream).
  public func head(for stream: LogStreamID) -> [UInt8] {
    switch format {
    case .text:
      let label = "\(stream.pod)/\(stream.container)"
      guard color else { return Array((label + " ").utf8) }
      let code = Self.palette[Int(Self.hash(stream.key) % UInt64(Self.palette.count))]
      return Array("\u{1B}[\(code)m\(label)\u{1B}[0m ".utf8)
    case .json:
      var head: [UInt8] = Array(#"{"pod":"#.utf8)
      JSONBytes.appendString(stream.pod, to: &head)
      head += Array(#","container":"#.utf8)
      JSONBytes.appendString(stream.container, to: &head)
      head += Array(#","node":"#.utf8)
      JSONBytes.appendString(stream.node, to: &head)
      head += Array(#","namespace":"#.utf8)
      JSONBytes.appendString(stream.namespace, to: &head)
      head += Array(#","timestamp":"#.utf8)
      return head
    }
  }

  /// Appends one line: `timestamp` is the API server's text (may be empty), `message` the rest.
  public func append(
    head: [UInt8], timestamp: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer, to output: inout [UInt8]
  ) {
    switch format {
    case .text:
      output.append(contentsOf: head)
      if timestamps, !timestamp.isEmpty {
        output.append(contentsOf: timestamp)
        output.append(0x20)
      }
      output.append(contentsOf: message)
      output.append(0x0A)
    case .json:
      output.append(contentsOf: head)
      if timestamp.isEmpty {
        output.append(contentsOf: "null".utf8)
      } else {
        JSONBytes.appendString(timestamp, to: &output)
      }
      output.append(contentsOf: #","message":"#.utf8)
      JSONBytes.appendString(message, to: &output)
      output.append(contentsOf: "}\n".utf8)
    }
  }

  /// FNV-1a: stable across runs and platforms (Swift's `hashValue` is seeded per process).
  static func hash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01b3
    }
    return hash
  }
}

/// JSON string literals written straight from bytes.
enum JSONBytes {
  static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  static func appendString(_ text: String, to output: inout [UInt8]) {
    var text = text
    text.withUTF8 { appendString(UnsafeRawBufferPointer($0), to: &output) }
  }

  /// Quotes and escapes `bytes`; bytes that are not UTF-8 become U+FFFD, so the output is always valid JSON.
  static func appendString(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
    output.append(0x22)
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      if byte >= 0x20, byte != 0x22, byte != 0x5C, byte < 0x80 {
        output.append(byte)
        index += 1
        continue
      }
      if byte >= 0x80 {
        let length = utf8SequenceLength(bytes, at: index)
        if length > 0 {
          output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)]))
          index += length
        } else {
          output.append(contentsOf: [0xEF, 0xBF, 0xBD])
          index += 1
        }
        continue
      }
      switch byte {
      case 0x22: output.append(contentsOf: [0x5C, 0x22])
      case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
      case 0x0D: output.append(contentsOf: [0x5C, 0x72])
      case 0x09: output.append(contentsOf: [0x5C, 0x74])
      default:
        output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
      }
      index += 1
    }
    output.append(0x22)
  }

  /// The length of the well-formed UTF-8 sequence at `index`, or 0.
  static func utf8SequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
    let lead = bytes[index]
    let length: Int
    let minimum: UInt32
    switch lead {
    case 0xC2...0xDF: (length, minimum) = (2, 0x80)
    case 0xE0...0xEF: (length, minimum) = (3, 0x800)
    case 0xF0...0xF4: (length, minimum) = (4, 0x10000)
    default: return 0
    }
    guard index + length <= bytes.count else { return 0 }
    var scalar = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for offset in 1..<length {
      let next = bytes[index + offset]
      guard next & 0xC0 == 0x80 else { return 0 }
      scalar = scalar << 6 | UInt32(next & 0x3F)
    }
    guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return 0 }
    return length
  }
}

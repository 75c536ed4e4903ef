import Foundation

/// Who listens on a local TCP port, from /proc (Linux): the socket's inode in /proc/net/tcp{,6},
/// then the process holding that inode open. Nil when it cannot be known (another user's process,
/// no /proc).
public struct PortHolder: Sendable, Equatable, CustomStringConvertible {
  public var pid: Int32?
  public var command: String?

  public var description: String {
    switch (pid, command) {
    case (let pid?, let command?): "\(command) (pid \(pid))"
    case (let pid?, nil): "pid \(pid)"
    case (nil, let command?): command
    case (nil, nil): "another process"
    }
  }

  public static func find(port: Int, procRoot: String = "/proc") -> PortHolder? {
    let tables = ["net/tcp", "net/tcp6"].compactMap {
      try? String(contentsOfFile: "\(procRoot)/\($0)", encoding: .utf8)
    }
    guard !tables.isEmpty else { return nil }
    let inodes = Set(tables.flatMap { listeningInodes(in: $0, port: port) })
    guard !inodes.isEmpty else { return nil }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: procRoot)) ?? []
    for name in names {
      guard let pid = Int32(name) else { continue }
      let fdDirectory = "\(procRoot)/\(name)/fd"
      guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { continue }
      for descriptor in descriptors {
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(descriptor)"),
          link.hasPrefix("socket:["), let inode = UInt64(link.dropFirst(8).dropLast()), inodes.contains(inode)
        else { continue }
        return PortHolder(pid: pid, command: commandLine(pid: pid, procRoot: procRoot))
      }
    }
    return PortHolder(pid: nil, command: nil)
  }

  /// Inodes of sockets in state LISTEN (0A) on `port`, from one /proc/net/tcp table.
  static func listeningInodes(in table: String, port: Int) -> [UInt64] {
    table.split(separator: "\n").dropFirst().compactMap { line in
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count > 9, fields[3] == "0A", let colon = fields[1].lastIndex(of: ":"),
        let localPort = Int(fields[1][fields[1].index(after: colon)...], radix: 16), localPort == port
      else { return nil }
      return UInt64(fields[9])
    }
  }

  static func commandLine(pid: Int32, procRoot: String) -> String? {
    guard let data = FileManager.default.contents(atPath: "\(procRoot)/\(pid)/cmdline"), !data.isEmpty else {
      return (try? String(contentsOfFile: "\(procRoot)/\(pid)/comm", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    return String(words.joined(separator: " ").prefix(120))
  }
}

import Foundation
import MtobsCore

/// Plain POSIX reads for the plugin scan, which runs at every `mtobs --help`, `plugin list` and
/// TAB: Foundation's FileManager and FileHandle cost several times more per file, and a missing
/// manifest read through `String(contentsOfFile:)` builds an error object per plugin.
enum DirectoryScan {
  /// The entry names of a directory (no `.` or `..`), or nil when it cannot be read.
  static func names(in path: String) -> [String]? {
    DirectoryListing.names(in: path)
  }

  /// Up to `limit` bytes from the start of a file, or nil when it cannot be read.
  static func head(of path: String, limit: Int) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: limit)
    var count = 0
    while count < limit {
      let got = bytes.withUnsafeMutableBytes { buffer in
        read(descriptor, buffer.baseAddress.map { $0 + count }, limit - count)
      }
      if got < 0, errno == EINTR { continue }
      guard got > 0 else { break }
      count += got
    }
    return Array(bytes[..<count])
  }
}

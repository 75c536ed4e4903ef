import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The socket directories of earlier runs that could not remove their own (mtobs killed with
/// SIGKILL, or the machine's power): swept by each run that ends normally, so `/tmp` does not
/// collect one `mtobs-proxy-*` directory per killed run.
///
/// Only what is certainly dead goes: a directory of this user whose socket nobody listens on
/// (connecting is refused), or an empty one older than `emptyAge` (a run that is just starting has
/// an empty directory for the moment kubectl takes to bind its socket).
enum SocketLeftovers {
  static let prefix = "mtobs-proxy-"
  static let emptyAge: TimeInterval = 600

  /// Removes the dead socket directories in `base` (except `keeping`); returns how many went.
  @discardableResult
  static func remove(in base: String, keeping: String? = nil, now: Date = Date(), userID: uid_t = getuid()) -> Int {
    let names = (DirectoryListing.names(in: base) ?? []).filter { $0.hasPrefix(prefix) }
    var removed = 0
    for name in names {
      let path = base + "/" + name
      guard path != keeping else { continue }
      var status = stat()
      // lstat: a symlink named like ours is not ours to follow.
      guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == userID else { continue }
      let socket = path + "/kube.sock"
      if access(socket, F_OK) == 0 {
        guard nobodyListens(on: socket) else { continue }
        unlink(socket)
      } else {
        #if canImport(Glibc)
          let modified = TimeInterval(status.st_mtim.tv_sec)
        #else
          let modified = TimeInterval(status.st_mtimespec.tv_sec)
        #endif
        guard now.timeIntervalSince1970 - modified > emptyAge else { continue }
      }
      // rmdir removes only an empty directory: anything else in it stays, and so does it.
      if rmdir(path) == 0 { removed += 1 }
    }
    return removed
  }

  /// Whether connecting to the Unix socket at `path` is refused (its process is gone).
  static func nobodyListens(on path: String) -> Bool {
    #if canImport(Glibc)
      let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard bytes.count < capacity else { return false }
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
      buffer.copyBytes(from: bytes)
      buffer[bytes.count] = 0
    }
    let result = withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    return result != 0 && errno == ECONNREFUSED
  }
}

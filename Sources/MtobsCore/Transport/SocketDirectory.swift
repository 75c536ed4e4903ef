import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A directory only this user can enter, holding `kubectl proxy`'s socket: whoever can connect to
/// the socket acts with the kubeconfig's credentials, so no other local user may reach it.
struct SocketDirectory: Sendable, Equatable {
  let path: String

  var socketPath: String { path + "/kube.sock" }

  /// `$XDG_RUNTIME_DIR` (per user, already private) when set, else the temp dir.
  static func base(environment: [String: String]) -> String {
    if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime }
    if let temporary = environment["TMPDIR"], !temporary.isEmpty { return temporary }
    return "/tmp"
  }

  /// Creates a fresh directory with mode 0700 under `base(environment:)`.
  static func create(environment: [String: String]) throws(KubeError) -> SocketDirectory {
    let base = Self.base(environment: environment)
    let trimmed = base.hasSuffix("/") && base.count > 1 ? String(base.dropLast()) : base
    var template = Array((trimmed + "/mtobs-proxy-XXXXXX").utf8CString)
    let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
      guard let start = buffer.baseAddress, let made = mkdtemp(start) else { return nil }
      return String(validatingCString: made)
    }
    guard let created else {
      let reason = String(cString: strerror(errno))
      throw KubeError(
        .failed, "cannot create a private directory for kubectl proxy's socket in \(trimmed): \(reason)",
        hint: "make \(trimmed) a writable directory, or point XDG_RUNTIME_DIR (or TMPDIR) at one")
    }
    let directory = SocketDirectory(path: created)
    // mkdtemp already uses 0700; say so explicitly rather than rely on it.
    chmod(directory.path, 0o700)
    // A Unix socket path has a small fixed limit (108 bytes on Linux, 104 on macOS).
    guard directory.socketPath.utf8.count < 104 else {
      directory.remove()
      throw KubeError(
        .failed, "the path for kubectl proxy's socket is too long: \(directory.socketPath)",
        hint: "point XDG_RUNTIME_DIR (or TMPDIR) at a directory with a shorter path, such as /tmp")
    }
    return directory
  }

  /// Removes the socket (if kubectl left it) and the directory.
  func remove() {
    unlink(socketPath)
    rmdir(path)
  }
}

#if os(Linux)
  import Glibc
  import NIOCore

  /// Duplicates of the sockets behind SwiftNIO channels, so that the relay's bulk phase can move
  /// their bytes with splice(2) after the channels close. SwiftNIO keeps its descriptors private;
  /// a TCP connection is found among the process's descriptors by its two addresses (unique
  /// while it is open), and each duplicate is checked again after `dup`, as a descriptor number
  /// can be reused in between by another thread. Closing the channel then closes only SwiftNIO's
  /// descriptor (it sends nothing: no shutdown, no linger), and the connection lives on in ours.
  enum ChannelDescriptor {
    /// Close-on-exec duplicates of the channels' sockets, in order; nil unless every one is found.
    static func duplicates(of channels: [any Channel]) -> [Int32]? {
      let wanted = channels.map { ($0.localAddress, $0.remoteAddress) }
      guard wanted.allSatisfy({ $0.0 != nil && $0.1 != nil }) else { return nil }
      var found = [Int32?](repeating: nil, count: wanted.count)
      for candidate in openDescriptors() {
        guard let index = wanted.firstIndex(where: { matches(candidate, local: $0.0, remote: $0.1) }),
          found[index] == nil
        else { continue }
        let duplicate = fcntl(candidate, F_DUPFD_CLOEXEC, 0)
        guard duplicate >= 0 else { continue }
        if matches(duplicate, local: wanted[index].0, remote: wanted[index].1) {
          found[index] = duplicate
        } else {
          close(duplicate)
        }
      }
      let all = found.compactMap { $0 }
      guard all.count == wanted.count else {
        all.forEach { close($0) }
        return nil
      }
      return all
    }

    /// The descriptor numbers open now (/proc/self/fd).
    private static func openDescriptors() -> [Int32] {
      (DirectoryListing.names(in: "/proc/self/fd") ?? []).compactMap { Int32($0) }
    }

    private static func matches(_ descriptor: Int32, local: SocketAddress?, remote: SocketAddress?) -> Bool {
      var status = stat()
      guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK else { return false }
      return address(of: descriptor, peer: false) == local && address(of: descriptor, peer: true) == remote
    }

    private static func address(of descriptor: Int32, peer: Bool) -> SocketAddress? {
      var storage = sockaddr_storage()
      var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let status = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          peer ? getpeername(descriptor, $0, &length) : getsockname(descriptor, $0, &length)
        }
      }
      guard status == 0 else { return nil }
      switch Int32(storage.ss_family) {
      case AF_INET:
        return withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in.self)) }
      case AF_INET6:
        return withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in6.self)) }
      default:
        return nil
      }
    }
  }
#endif

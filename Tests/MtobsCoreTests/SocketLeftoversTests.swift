import Foundation
import TestSupport
import Testing

@testable import MtobsCore

#if canImport(Glibc)
  import Glibc
#endif

/// The sweep of socket directories that killed runs left: only what is certainly dead goes.
@Suite struct SocketLeftoversTests {
  /// A Unix socket bound at `path`; listening (kept open) or closed at once (its file stays, as
  /// when kubectl is killed).
  private func bindSocket(at path: String, listening: Bool) throws -> Int32? {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    try #require(descriptor >= 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
      let bytes = Array(path.utf8)
      buffer.copyBytes(from: bytes)
      buffer[bytes.count] = 0
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    try #require(bound == 0)
    try #require(listen(descriptor, 1) == 0)
    if listening { return descriptor }
    close(descriptor)
    return nil
  }

  @Test func onlyDeadDirectoriesAreRemoved() throws {
    let base = try TemporaryDirectory()
    let fm = FileManager.default
    func make(_ name: String) throws -> String {
      let path = base.url.appendingPathComponent(name).path
      try fm.createDirectory(atPath: path, withIntermediateDirectories: false)
      return path
    }
    let killed = try make("mtobs-proxy-killed")
    _ = try bindSocket(at: killed + "/kube.sock", listening: false)
    let live = try make("mtobs-proxy-live0")
    let listener = try bindSocket(at: live + "/kube.sock", listening: true)
    defer { listener.map { _ = close($0) } }
    let starting = try make("mtobs-proxy-start")
    let abandoned = try make("mtobs-proxy-empty")
    let hourAgo = Date().addingTimeInterval(-3600)
    try fm.setAttributes([.modificationDate: hourAgo], ofItemAtPath: abandoned)
    let mine = try make("mtobs-proxy-mine0")
    _ = try bindSocket(at: mine + "/kube.sock", listening: false)
    let other = try make("something-else")
    try fm.setAttributes([.modificationDate: hourAgo], ofItemAtPath: other)
    let withFiles = try make("mtobs-proxy-files")
    try fm.setAttributes([.modificationDate: hourAgo], ofItemAtPath: withFiles)
    try "x".write(toFile: withFiles + "/note", atomically: false, encoding: .utf8)
    try fm.setAttributes([.modificationDate: hourAgo], ofItemAtPath: withFiles)

    #expect(SocketLeftovers.remove(in: base.url.path, keeping: mine) == 2)
    let left = Set(try fm.contentsOfDirectory(atPath: base.url.path))
    #expect(
      left == ["mtobs-proxy-live0", "mtobs-proxy-start", "mtobs-proxy-mine0", "something-else", "mtobs-proxy-files"])
    #expect(!fm.fileExists(atPath: killed))
    #expect(!fm.fileExists(atPath: abandoned))
    _ = starting
  }

  @Test func connectingTellsALiveSocketFromADeadOne() throws {
    let base = try TemporaryDirectory()
    let live = base.url.appendingPathComponent("live.sock").path
    let dead = base.url.appendingPathComponent("dead.sock").path
    let listener = try bindSocket(at: live, listening: true)
    defer { listener.map { _ = close($0) } }
    _ = try bindSocket(at: dead, listening: false)
    #expect(!SocketLeftovers.nobodyListens(on: live))
    #expect(SocketLeftovers.nobodyListens(on: dead))
    #expect(!SocketLeftovers.nobodyListens(on: base.url.appendingPathComponent("none.sock").path))
  }
}

/// `readdir` names read in place: every length up to 255 bytes, many entries (several buffers).
@Suite struct DirectoryListingTests {
  @Test func readsEveryNameWholeAndNothingElse() throws {
    let folder = try TemporaryDirectory()
    var expected: Set<String> = []
    for index in 0..<3000 {
      // Lengths cycle through 1…255 bytes, so names end at every offset of a dirent.
      let length = index % 255 + 1
      let stem = String(index)
      let name = stem + String(repeating: "x", count: max(0, length - stem.count))
      if expected.insert(name).inserted {
        FileManager.default.createFile(atPath: folder.url.appendingPathComponent(name).path, contents: nil)
      }
    }
    let names = try #require(DirectoryListing.names(in: folder.url.path))
    #expect(names.count == expected.count)
    #expect(Set(names) == expected)
    #expect(DirectoryListing.names(in: folder.url.appendingPathComponent("missing").path) == nil)
  }
}

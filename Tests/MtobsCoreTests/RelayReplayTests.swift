import Foundation
import Synchronization
import Testing

@testable import MtobsCore

#if canImport(Glibc)
  import Glibc
#endif

/// The relay in-process, with plain sockets playing the tunnels: a request whose tunnel dies
/// before answering is sent again to the next tunnel; one that had started to answer is not.
@Suite(.serialized) struct RelayReplayTests {
  static let request = Array(
    "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Body: \(String(repeating: "a", count: 5000))\r\n\r\n".utf8)
  static let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)

  @Test func aRequestWhoseTunnelDiesBeforeAnsweringIsSentToTheNextTunnel() async throws {
    let slot = TunnelSlot()
    let dying = try TestTunnel { connection, tunnel in
      // kubectl losing the pod: the request arrived, no answer, the tunnel goes away.
      _ = connection.read(count: Self.request.count)
      slot.withdraw()
      tunnel.close()
    }
    let healthy = try TestTunnel { connection, _ in
      connection.received.withLock { $0 = connection.read(count: Self.request.count) }
      connection.write(Self.answer)
    }
    slot.publish(dying.port)
    let listener = try await RelayListener.bind(address: "127.0.0.1", port: 0)
    let serving = Task { try await listener.serve(slot: slot, wait: .seconds(10)) }
    defer { serving.cancel() }

    let client = try TestSocket.connect(port: listener.port)
    client.write(Self.request)
    // Reconnected only once the first tunnel is gone: the request must wait, not fail.
    let gone = try await ProcessTable.wait(upTo: .seconds(10)) { dying.isClosed }
    #expect(gone)
    slot.publish(healthy.port)
    let answer = client.readAll()
    #expect(answer == Self.answer, "\(String(decoding: answer, as: UTF8.self))")
    #expect(healthy.lastReceived == Self.request, "the next tunnel did not get the whole request again")
    #expect(dying.accepted == 1)
  }

  @Test func aTunnelThatDiesMidAnswerClosesTheClientAndIsNotReplayed() async throws {
    let slot = TunnelSlot()
    let dying = try TestTunnel { connection, tunnel in
      _ = connection.read(count: Self.request.count)
      connection.write(Array(Self.answer.prefix(20)))
      slot.withdraw()
      tunnel.close()
    }
    let healthy = try TestTunnel { connection, _ in
      _ = connection.read(count: Self.request.count)
      connection.write(Self.answer)
    }
    slot.publish(dying.port)
    let listener = try await RelayListener.bind(address: "127.0.0.1", port: 0)
    let serving = Task { try await listener.serve(slot: slot, wait: .seconds(10)) }
    defer { serving.cancel() }

    let client = try TestSocket.connect(port: listener.port)
    client.write(Self.request)
    _ = try await ProcessTable.wait(upTo: .seconds(10)) { dying.isClosed }
    slot.publish(healthy.port)
    // The client got the start of the answer and then the end of the connection: a second,
    // different answer spliced onto it would be worse than the cut.
    #expect(client.readAll() == Array(Self.answer.prefix(20)))
    #expect(healthy.accepted == 0)
  }
}

/// A blocking socket with whole reads and writes.
final class TestSocket: Sendable {
  let descriptor: Int32
  let received = Mutex<[UInt8]>([])

  init(descriptor: Int32) {
    self.descriptor = descriptor
    var time = timeval(tv_sec: 15, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { close(descriptor) }

  static func connect(port: Int) throws -> TestSocket {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = TestTunnel.loopback(port: 0)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(descriptor)
      throw POSIXError(.ECONNREFUSED)
    }
    return TestSocket(descriptor: descriptor)
  }

  func write(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      guard sent > 0 else { return }
      offset += sent
    }
  }

  /// Up to `count` bytes (fewer when the peer closes first).
  func read(count: Int) -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while result.count < count {
      let got = recv(descriptor, &buffer, min(buffer.count, count - result.count), 0)
      guard got > 0 else { break }
      result += buffer[0..<got]
    }
    return result
  }

  /// Everything until the peer closes (or a reset).
  func readAll() -> [UInt8] { read(count: Int.max) }
}

/// A one-thread server on 127.0.0.1 playing a tunnel: `handle` runs for each accepted connection.
final class TestTunnel: Sendable {
  let port: Int
  private let listening: Int32
  private let state = Mutex<(accepted: Int, closed: Bool, last: [UInt8])>((0, false, []))

  init(handle: @escaping @Sendable (TestSocket, TestTunnel) -> Void) throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    listening = descriptor
    var address = Self.loopback(port: 0)
    var one: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(descriptor, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread.detachNewThread { [self] in
      while true {
        let accepted = accept(descriptor, nil, nil)
        guard accepted >= 0 else { return }
        state.withLock { $0.accepted += 1 }
        let connection = TestSocket(descriptor: accepted)
        handle(connection, self)
        state.withLock { $0.last = connection.received.withLock { $0 } }
      }
    }
  }

  static func loopback(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(port.bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }

  var accepted: Int { state.withLock { $0.accepted } }
  var isClosed: Bool { state.withLock { $0.closed } }
  var lastReceived: [UInt8] { state.withLock { $0.last } }

  /// The tunnel goes away: no more connections (the accept loop ends).
  func close() {
    shutdown(listening, Int32(SHUT_RDWR))
    Glibc.close(listening)
    state.withLock { $0.closed = true }
  }

  deinit { if !isClosed { close() } }
}

import Foundation
import Synchronization
import Testing

@testable import MtobsCore

#if canImport(Glibc)
  import Glibc
#endif

#if os(Linux)
  /// The relay's bulk phase: past `RelaySession.spliceAfter` answer bytes the sockets leave
  /// SwiftNIO and the kernel moves the rest (splice); the bytes must arrive whole and in order,
  /// both ways, and the listener's stop must still end such a connection.
  @Suite(.serialized) struct RelaySpliceTests {
    static let request = Array("GET /bytes HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

    /// An HTTP answer with a body of `size` bytes that are not all the same (a reordering or a
    /// lost chunk changes them).
    static func answer(size: Int) -> [UInt8] {
      let head = Array("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n".utf8)
      return head + (0..<size).map { UInt8(truncatingIfNeeded: $0 % 251) }
    }

    /// A listener relaying to `tunnel`, serving until the task is cancelled.
    static func relay(to tunnel: TestTunnel) async throws -> (RelayListener, Task<Void, any Error>) {
      let listener = try await RelayListener.bind(address: "127.0.0.1", port: 0)
      let slot = TunnelSlot()
      slot.publish(tunnel.port)
      return (listener, Task { try await listener.serve(slot: slot, wait: .seconds(10)) })
    }

    /// One request through a relay to a tunnel that answers `answer`: what the client received,
    /// and how many connections the relay handed to the kernel.
    static func fetch(_ answer: [UInt8]) async throws -> (received: [UInt8], spliced: Int) {
      let tunnel = try TestTunnel { connection, _ in
        _ = connection.read(count: request.count)
        connection.write(answer)
      }
      let (listener, serving) = try await relay(to: tunnel)
      defer { serving.cancel() }
      let client = try TestSocket.connect(port: listener.port)
      client.write(request)
      let received = client.readAll()
      return (received, listener.connections.splicedTotal)
    }

    @Test func aLargeDownloadIsHandedToTheKernelAndArrivesWholeAndInOrder() async throws {
      let big = Self.answer(size: 8 * 1024 * 1024 + 12345)
      let (received, spliced) = try await Self.fetch(big)
      #expect(received.count == big.count)
      #expect(
        received == big,
        "first difference at \(zip(received, big).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)")
      #expect(spliced == 1)
    }

    @Test func aSmallAnswerStaysWithSwiftNIO() async throws {
      let small = Self.answer(size: 64 * 1024)
      let (received, spliced) = try await Self.fetch(small)
      #expect(received == small)
      #expect(spliced == 0)
    }

    /// A kept-alive connection: after a spliced answer the client's next request must still reach
    /// the tunnel (the client → tunnel direction moved to the kernel too) and its answer come back.
    @Test func aSecondRequestOnASplicedConnectionGoesThroughBothWays() async throws {
      let big = Self.answer(size: 3 * 1024 * 1024)
      let second = Array("GET /second HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
      let small = Self.answer(size: 10)
      let tunnel = try TestTunnel { connection, _ in
        _ = connection.read(count: Self.request.count)
        connection.write(big)
        connection.received.withLock { $0 = connection.read(count: second.count) }
        connection.write(small)
      }
      let (listener, serving) = try await Self.relay(to: tunnel)
      defer { serving.cancel() }

      let client = try TestSocket.connect(port: listener.port)
      client.write(Self.request)
      #expect(client.read(count: big.count) == big)
      client.write(second)
      #expect(client.readAll() == small)
      #expect(tunnel.lastReceived == second)
      #expect(listener.connections.splicedTotal == 1)
    }

    @Test func stoppingTheListenerEndsASplicedConnection() async throws {
      let head = Self.answer(size: 4 * 1024 * 1024)
      let tunnel = try TestTunnel { connection, _ in
        _ = connection.read(count: Self.request.count)
        // Promises more than it sends, and never ends: only the listener's stop can end it.
        connection.write(Array(head.prefix(2 * 1024 * 1024)))
        _ = connection.readAll()
      }
      let (listener, serving) = try await Self.relay(to: tunnel)

      let client = try TestSocket.connect(port: listener.port)
      client.write(Self.request)
      #expect(client.read(count: 2 * 1024 * 1024) == Array(head.prefix(2 * 1024 * 1024)))
      #expect(listener.connections.splicedTotal == 1)
      serving.cancel()
      _ = await serving.result
      // The end of the connection, not the 15 s receive timeout.
      var byte: UInt8 = 0
      let last = recv(client.descriptor, &byte, 1, 0)
      #expect(last == 0, "recv gave \(last), errno \(errno)")
      let closed = try await ProcessTable.wait(upTo: .seconds(10)) { listener.connections.splicedOpen == 0 }
      #expect(closed)
    }
  }

  /// One direction of the bulk phase on its own: through splice, and by copy where the sink
  /// refuses splice (a file opened for appending gives EINVAL).
  @Suite struct SplicePumpTests {
    static let bytes = (0..<(3 * 1024 * 1024 + 7)).map { UInt8(truncatingIfNeeded: $0 % 253) }

    /// A connected pair of stream sockets with `bytes` written into one end and that end closed.
    static func filledSocket() throws -> Int32 {
      var pair: [Int32] = [-1, -1]
      guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { throw POSIXError(.EMFILE) }
      let writer = pair[1]
      Thread.detachNewThread {
        TestSocket(descriptor: writer).write(Self.bytes)
      }
      return pair[0]
    }

    @Test func socketToSocketMovesEveryByteThroughSplice() async throws {
      let source = try Self.filledSocket()
      defer { close(source) }
      var pair: [Int32] = [-1, -1]
      guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { throw POSIXError(.EMFILE) }
      let reader = TestSocket(descriptor: pair[0])
      let collected = Task.detached { reader.readAll() }
      let report = SplicePump(source: source, sink: pair[1]).run()
      close(pair[1])
      #expect(report == .init(outcome: .ended, splicedBytes: Self.bytes.count, copiedBytes: 0))
      #expect(await collected.value == Self.bytes)
    }

    @Test func aSinkThatRefusesSpliceGetsTheBytesByCopy() throws {
      let source = try Self.filledSocket()
      defer { close(source) }
      let folder = try TemporaryDirectory()
      let file = folder.url.appendingPathComponent("appended")
      let sink = open(file.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
      try #require(sink >= 0)
      let report = SplicePump(source: source, sink: sink).run()
      close(sink)
      #expect(report == .init(outcome: .ended, splicedBytes: 0, copiedBytes: Self.bytes.count))
      #expect(Array(try Data(contentsOf: file)) == Self.bytes)
    }

  }
#endif

import NIOCore
import NIOPosix

/// The local listener mtobs owns: the port the user sees never changes, whatever happens to the
/// tunnel behind it. Each accepted connection is relayed to the tunnel the slot names at that
/// moment; during a reconnect it waits (bounded) for the next one instead of failing.
public final class RelayListener: Sendable {
  typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

  public let address: String
  /// The bound port (the one asked for, or the one the system chose for 0).
  public let port: Int
  private let server: NIOAsyncChannel<Connection, Never>

  /// Half-closes travel through: a client that finishes sending still gets its answer.
  static let configuration = NIOAsyncChannel<ByteBuffer, ByteBuffer>.Configuration(isOutboundHalfClosureEnabled: true)

  private init(address: String, port: Int, server: NIOAsyncChannel<Connection, Never>) {
    self.address = address
    self.port = port
    self.server = server
  }

  /// Binds `address:port`; a port in use is a `ForwardError.portInUse` naming its holder when known.
  public static func bind(address: String, port: Int) async throws -> RelayListener {
    let server: NIOAsyncChannel<Connection, Never>
    do {
      server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .serverChannelOption(.backlog, value: 256)
        .childChannelOption(.allowRemoteHalfClosure, value: true)
        .bind(host: address, port: port) { channel in
          channel.eventLoop.makeCompletedFuture {
            try Connection(wrappingChannelSynchronously: channel, configuration: configuration)
          }
        }
    } catch let error as IOError where error.errnoCode == EADDRINUSE {
      throw ForwardError.portInUse(address: address, port: port, holder: PortHolder.find(port: port))
    } catch let error as IOError where error.errnoCode == EACCES {
      throw ForwardError.bindFailed(
        address: address, port: port, reason: "permission denied (ports below 1024 need privileges)")
    } catch {
      throw ForwardError.bindFailed(address: address, port: port, reason: "\(error)")
    }
    let bound = server.channel.localAddress?.port ?? port
    return RelayListener(address: address, port: bound, server: server)
  }

  /// Accepts and relays until the task is cancelled; then the listener closes.
  public func serve(slot: TunnelSlot, wait: Duration) async throws {
    try await server.executeThenClose { inbound in
      try await withThrowingDiscardingTaskGroup { group in
        for try await connection in inbound {
          group.addTask { await Self.relay(connection, slot: slot, wait: wait) }
        }
      }
    }
  }

  /// Closes the listener without serving (a forward that could not start).
  public func close() async {
    try? await server.channel.close()
  }

  /// One client connection: to the current tunnel; a tunnel that refuses is reported and the next
  /// one awaited, within `wait`.
  static func relay(_ client: Connection, slot: TunnelSlot, wait: Duration) async {
    let started = ContinuousClock.now
    var refused: Int?
    var backend: Connection?
    while backend == nil, !Task.isCancelled {
      let remaining = wait - (ContinuousClock.now - started)
      guard remaining > .zero, let port = await slot.port(excluding: refused, waitingUpTo: remaining) else { break }
      do {
        backend = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
          .channelOption(.allowRemoteHalfClosure, value: true)
          .connectTimeout(.seconds(2))
          .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
              try Connection(wrappingChannelSynchronously: channel, configuration: configuration)
            }
          }
      } catch {
        slot.reportDead(port)
        refused = port
      }
    }
    guard let backend else {
      try? await client.channel.close()
      return
    }
    try? await client.executeThenClose { clientIn, clientOut in
      try await backend.executeThenClose { backendIn, backendOut in
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask {
            for try await bytes in clientIn { try await backendOut.write(bytes) }
            backendOut.finish()
          }
          group.addTask {
            for try await bytes in backendIn { try await clientOut.write(bytes) }
            clientOut.finish()
          }
          try await group.waitForAll()
        }
      }
    }
  }
}

import NIOCore
import NIOPosix
import Synchronization

/// The local listener mtobs owns: the port the user sees never changes, whatever happens to the
/// tunnel behind it. Each accepted connection is relayed (`RelaySession`) to the tunnel the slot
/// names at that moment; during a reconnect it waits (bounded) for the next one instead of failing.
public final class RelayListener: Sendable {
  public let address: String
  /// The bound port (the one asked for, or the one the system chose for 0).
  public let port: Int
  private let server: NIOAsyncChannel<any Channel, Never>

  private init(address: String, port: Int, server: NIOAsyncChannel<any Channel, Never>) {
    self.address = address
    self.port = port
    self.server = server
  }

  /// Binds `address:port`; a port in use is a `ForwardError.portInUse` naming its holder when known.
  public static func bind(address: String, port: Int) async throws -> RelayListener {
    let server: NIOAsyncChannel<any Channel, Never>
    do {
      server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .serverChannelOption(.backlog, value: 256)
        .childChannelOption(.allowRemoteHalfClosure, value: true)
        // Nothing is read before the session's handler is in place (it starts reading).
        .childChannelOption(.autoRead, value: false)
        .childChannelOption(.recvAllocator, value: RelaySession.receiveAllocator)
        .childChannelOption(.writeBufferWaterMark, value: RelaySession.writeWaterMark)
        .bind(host: address, port: port) { channel in channel.eventLoop.makeSucceededFuture(channel) }
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

  /// Accepts and relays until the task is cancelled; then the listener and every connection close.
  public func serve(slot: TunnelSlot, wait: Duration) async throws {
    let open = OpenConnections()
    defer { open.closeAll() }
    try await server.executeThenClose { inbound in
      for try await client in inbound {
        open.add(client)
        RelaySession.start(client: client, slot: slot, wait: wait)
      }
    }
  }

  /// Closes the listener without serving (a forward that could not start).
  public func close() async {
    try? await server.channel.close()
  }
}

/// The client connections a listener accepted and that are still open, to close when it stops.
private final class OpenConnections: Sendable {
  private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

  func add(_ channel: any Channel) {
    let id = ObjectIdentifier(channel)
    channels.withLock { $0[id] = channel }
    channel.closeFuture.whenComplete { _ in _ = self.channels.withLock { $0.removeValue(forKey: id) } }
  }

  func closeAll() {
    for channel in channels.withLock({ $0.values }) { channel.close(promise: nil) }
  }
}

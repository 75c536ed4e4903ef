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
  /// What `serve` has open (one serve per listener).
  let connections = OpenConnections()

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
    let open = connections
    defer { open.closeAll() }
    try await server.executeThenClose { inbound in
      for try await client in inbound {
        open.add(client)
        RelaySession.start(client: client, slot: slot, wait: wait, connections: open)
      }
    }
  }

  /// Closes the listener without serving (a forward that could not start).
  public func close() async {
    try? await server.channel.close()
  }
}

/// The client connections a listener accepted and that are still open, to close when it stops,
/// and the bulk transfers handed to the kernel (Linux).
final class OpenConnections: Sendable {
  private struct State {
    var channels: [ObjectIdentifier: any Channel] = [:]
    #if os(Linux)
      var spliced: [ObjectIdentifier: SplicedRelay] = [:]
    #endif
    var splicedTotal = 0
    var closed = false
  }

  private let state = Mutex(State())

  func add(_ channel: any Channel) {
    let id = ObjectIdentifier(channel)
    state.withLock { $0.channels[id] = channel }
    channel.closeFuture.whenComplete { _ in _ = self.state.withLock { $0.channels.removeValue(forKey: id) } }
  }

  /// Connections handed to the kernel so far (tests check that a download took that path).
  var splicedTotal: Int { state.withLock { $0.splicedTotal } }

  /// Connections in the kernel's hands now.
  var splicedOpen: Int {
    #if os(Linux)
      state.withLock { $0.spliced.count }
    #else
      0
    #endif
  }

  #if os(Linux)
    func add(_ relay: SplicedRelay) {
      let open = state.withLock { state -> Bool in
        state.splicedTotal += 1
        guard !state.closed else { return false }
        state.spliced[ObjectIdentifier(relay)] = relay
        return true
      }
      if !open { relay.stop() }
    }

    func remove(_ relay: SplicedRelay) {
      _ = state.withLock { $0.spliced.removeValue(forKey: ObjectIdentifier(relay)) }
    }
  #endif

  func closeAll() {
    let channels = state.withLock { state in
      state.closed = true
      return Array(state.channels.values)
    }
    for channel in channels { channel.close(promise: nil) }
    #if os(Linux)
      for relay in state.withLock({ Array($0.spliced.values) }) { relay.stop() }
    #endif
  }
}

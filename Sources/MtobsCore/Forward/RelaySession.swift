import NIOCore
import NIOPosix

/// One relayed connection: the client's channel and the tunnel connection behind it, glued on the
/// client's event loop (no task hops per chunk; each side reads only while the other can take
/// more, so memory stays bounded).
///
/// Until the first response byte arrives, the client's bytes are also kept (up to `replayLimit`):
/// a tunnel that dies under a request is replaced (waiting, bounded, for the reconnect) and the
/// request sent again, so the client never sees the loss. Once the answer has started, a failure
/// closes the client connection, as the request cannot be repeated safely.
///
/// Once an answer has passed `spliceAfter` bytes (a download, not a page), SwiftNIO lets go of
/// both sockets and the rest moves in the kernel (`SplicedRelay`, Linux): the replay buffer is
/// long gone by then, and a copy of every byte through this process was what held the relay
/// back. Elsewhere, or when that hand-over is not possible, the glue below carries on.
///
/// Confined to `client.eventLoop`: every method runs there, which is what makes it Sendable.
final class RelaySession: @unchecked Sendable {
  /// Large reads (fewer system calls per MiB on a bulk download) and a write buffer that stops
  /// the other side's reads above 1 MiB: at most about 1.25 MiB held per connection.
  static var receiveAllocator: AdaptiveRecvByteBufferAllocator {
    AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 64 * 1024, maximum: 256 * 1024)
  }
  static let writeWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 * 1024, high: 1024 * 1024)
  /// A request bigger than this is not kept for a replay (an upload, not a page).
  static let replayLimit = 1024 * 1024
  /// Tunnel connections that may end before answering, per client connection.
  static let maxReplays = 5
  /// Answer bytes after which the connection is handed to the kernel (`SplicedRelay`).
  static let spliceAfter = 1024 * 1024

  /// The hand-over of a bulk connection to `SplicedRelay`.
  private enum Handoff {
    /// Not (yet) worth it.
    case none
    /// Asked for by a tunnel read; starts when that read is complete.
    case wanted
    /// Reads stopped both ways; waiting for the client's queued writes to go out.
    case waiting
    /// The sockets belong to a `SplicedRelay` now.
    case done
    /// Not possible for this connection (the sockets could not be taken over).
    case abandoned
  }

  let client: any Channel
  let slot: TunnelSlot
  let wait: Duration
  let connections: OpenConnections
  private var eventLoop: any EventLoop { client.eventLoop }

  private var tunnel: (any Channel)?
  /// What the client sent while no response byte has arrived; nil once one has, or when too big.
  private var replay: ByteBuffer? = ByteBuffer()
  private var responded = false
  private var clientFinished = false
  private var closed = false
  private var replays = 0
  /// Answer bytes passed to the client so far.
  private var answered = 0
  private var handoff = Handoff.none
  /// Writes to the tunnel not yet out: the hand-over waits for none (their order must hold).
  private var tunnelWritesPending = 0
  private var tunnelInputEnded = false
  /// When the current wait for a tunnel began.
  private var waitStarted = ContinuousClock.now
  var clientReadPending = false
  var tunnelReadPending = false

  private init(client: any Channel, slot: TunnelSlot, wait: Duration, connections: OpenConnections) {
    self.client = client
    self.slot = slot
    self.wait = wait
    self.connections = connections
  }

  /// Relays `client` (accepted with autoRead off) from now on.
  static func start(client: any Channel, slot: TunnelSlot, wait: Duration, connections: OpenConnections) {
    let session = RelaySession(client: client, slot: slot, wait: wait, connections: connections)
    client.eventLoop.execute {
      do {
        try client.pipeline.syncOperations.addHandler(ClientSide(session: session))
        session.dial(excluding: nil)
        // Reads pass through ClientSide, which holds them until a tunnel can take the bytes.
        try client.syncOptions?.setOption(.autoRead, value: true)
      } catch {
        client.close(promise: nil)
      }
    }
  }

  // MARK: Reaching a tunnel

  private func dial(excluding dead: Int?) {
    let remaining = wait - (ContinuousClock.now - waitStarted)
    guard !closed, remaining > .zero else { return finish() }
    let slot = slot
    let found = eventLoop.makePromise(of: Int?.self)
    found.completeWithTask { await slot.port(excluding: dead, waitingUpTo: remaining) }
    found.futureResult.whenSuccess { port in
      guard let port, !self.closed else { return self.finish() }
      ClientBootstrap(group: self.eventLoop)
        .channelOption(.allowRemoteHalfClosure, value: true)
        .channelOption(.recvAllocator, value: Self.receiveAllocator)
        .channelOption(.writeBufferWaterMark, value: Self.writeWaterMark)
        .connectTimeout(.seconds(2))
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(TunnelSide(session: self))
          }
        }
        .connect(host: "127.0.0.1", port: port)
        .whenFailure { _ in
          // kubectl has ended or is ending: later connections wait for the next tunnel too.
          slot.reportDead(port)
          self.dial(excluding: port)
        }
    }
  }

  /// A tunnel connection is up (from TunnelSide.channelActive, before it reads anything).
  func attach(_ channel: any Channel) {
    guard !closed else {
      channel.close(promise: nil)
      return
    }
    tunnel = channel
    tunnelInputEnded = false
    if let replay, replay.readableBytes > 0 {
      write(replay, to: channel)
      channel.flush()
    }
    if clientFinished {
      channel.close(mode: .output, promise: nil)
    } else {
      resumeClientReads()
    }
  }

  /// The tunnel connection ended or broke before answering: the next one gets the request again.
  private func lost(_ channel: any Channel) {
    tunnel = nil
    channel.close(promise: nil)
    guard !closed else { return }
    guard replay != nil, replays < Self.maxReplays else { return finish() }
    replays += 1
    waitStarted = .now
    dial(excluding: nil)
  }

  // MARK: Client → tunnel

  var clientMayRead: Bool { handoff != .waiting && tunnel?.isWritable ?? false }

  func fromClient(_ bytes: ByteBuffer) {
    if !responded, var kept = replay {
      replay = nil  // no copy-on-write while appending
      if kept.readableBytes + bytes.readableBytes <= Self.replayLimit {
        var more = bytes
        kept.writeBuffer(&more)
        replay = kept
      }
    }
    if let tunnel {
      write(bytes, to: tunnel)
    } else if replay == nil {
      finish()  // bytes that can be neither sent nor kept
    }
  }

  func clientReadComplete() { tunnel?.flush() }

  private func write(_ bytes: ByteBuffer, to tunnel: any Channel) {
    tunnelWritesPending += 1
    let written = eventLoop.makePromise(of: Void.self)
    written.futureResult.whenComplete { _ in self.tunnelWritesPending -= 1 }
    tunnel.write(bytes, promise: written)
  }

  func clientInputEnded() {
    clientFinished = true
    tunnel?.close(mode: .output, promise: nil)
  }

  func clientClosed() {
    closed = true
    tunnel?.close(promise: nil)
    tunnel = nil
  }

  func resumeClientReads() {
    guard clientReadPending, clientMayRead else { return }
    clientReadPending = false
    client.read()
  }

  // MARK: Tunnel → client

  func fromTunnel(_ bytes: ByteBuffer, on channel: any Channel) {
    guard channel === tunnel else { return }
    if !responded {
      responded = true
      replay = nil
    }
    answered += bytes.readableBytes
    if handoff == .none, answered >= Self.spliceAfter, Self.canSplice { handoff = .wanted }
    client.write(bytes, promise: nil)
  }

  func tunnelReadComplete(on channel: any Channel) {
    guard channel === tunnel else { return }
    client.flush()
    if handoff == .wanted { beginHandoff() }
  }

  var tunnelMayRead: Bool { handoff != .waiting && client.isWritable }

  /// The tunnel sent its end (half-close) or the connection closed.
  func tunnelEnded(_ channel: any Channel, completely: Bool) {
    guard channel === tunnel else { return }
    tunnelInputEnded = true
    guard responded else { return lost(channel) }
    if completely || clientFinished {
      tunnel = nil
      finish()
    } else {
      // The answer is complete; the client may still finish its side.
      afterPendingWrites { $0.close(mode: .output, promise: nil) }
    }
  }

  func resumeTunnelReads() {
    guard tunnelReadPending, tunnelMayRead, let tunnel else { return }
    tunnelReadPending = false
    tunnel.read()
  }

  // MARK: Handing a bulk transfer to the kernel

  private static var canSplice: Bool {
    #if os(Linux)
      KernelSplice.isAvailable
    #else
      false
    #endif
  }

  /// Stops reading both ways and, once the client has been sent everything read so far, hands
  /// the sockets over (every byte read is written before the kernel takes the rest, in order).
  private func beginHandoff() {
    guard tunnelWritesPending == 0 else {
      handoff = .none  // a request still going out: another answer chunk will ask again
      return
    }
    handoff = .waiting
    client.writeAndFlush(ByteBuffer()).whenComplete { _ in self.completeHandoff() }
  }

  private func completeHandoff() {
    guard handoff == .waiting else { return }
    guard !closed, let tunnel, !tunnelInputEnded, client.isActive, tunnel.isActive else {
      return resumeAfterHandoff(.abandoned)
    }
    // Bytes the client sent meanwhile (a read already under way) must reach the tunnel first.
    guard tunnelWritesPending == 0 else { return resumeAfterHandoff(.none) }
    #if os(Linux)
      guard let sockets = ChannelDescriptor.duplicates(of: [client, tunnel]) else {
        return resumeAfterHandoff(.abandoned)
      }
      handoff = .done
      closed = true
      self.tunnel = nil
      // SwiftNIO's descriptors close; the connections live on in the duplicates.
      tunnel.close(promise: nil)
      client.close(promise: nil)
      let connections = connections
      let relay = SplicedRelay(client: sockets[0], tunnel: sockets[1], clientFinished: clientFinished) {
        connections.remove($0)
      }
      connections.add(relay)
      relay.start()
    #else
      resumeAfterHandoff(.abandoned)
    #endif
  }

  private func resumeAfterHandoff(_ next: Handoff) {
    handoff = next
    resumeTunnelReads()
    resumeClientReads()
  }

  // MARK: Ending

  /// Closes everything once what the client was sent has been written.
  private func finish() {
    guard !closed else { return }
    closed = true
    tunnel?.close(promise: nil)
    tunnel = nil
    afterPendingWrites { $0.close(promise: nil) }
  }

  /// Runs `body` on the client once its queued writes are out (an empty write completes after them).
  private func afterPendingWrites(_ body: @escaping @Sendable (any Channel) -> Void) {
    let client = client
    client.writeAndFlush(ByteBuffer()).whenComplete { _ in body(client) }
  }
}

/// The client's end of a session.
final class ClientSide: ChannelDuplexHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  let session: RelaySession

  init(session: RelaySession) { self.session = session }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    session.fromClient(unwrapInboundIn(data))
  }

  func channelReadComplete(context: ChannelHandlerContext) { session.clientReadComplete() }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case .inputClosed? = event as? ChannelEvent {
      session.clientInputEnded()
    } else {
      context.fireUserInboundEventTriggered(event)
    }
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    session.resumeTunnelReads()
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    session.clientClosed()
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

  /// Reads only while the tunnel can take more (back-pressure), and not before there is one.
  func read(context: ChannelHandlerContext) {
    if session.clientMayRead {
      context.read()
    } else {
      session.clientReadPending = true
    }
  }
}

/// The tunnel's end of a session.
final class TunnelSide: ChannelDuplexHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  let session: RelaySession

  init(session: RelaySession) { self.session = session }

  func channelActive(context: ChannelHandlerContext) {
    session.attach(context.channel)
    context.fireChannelActive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    session.fromTunnel(unwrapInboundIn(data), on: context.channel)
  }

  func channelReadComplete(context: ChannelHandlerContext) { session.tunnelReadComplete(on: context.channel) }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if case .inputClosed? = event as? ChannelEvent {
      session.tunnelEnded(context.channel, completely: false)
    } else {
      context.fireUserInboundEventTriggered(event)
    }
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    session.resumeClientReads()
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    session.tunnelEnded(context.channel, completely: true)
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

  /// Reads only while the client can take more (and not while the connection is handed over).
  func read(context: ChannelHandlerContext) {
    if session.tunnelMayRead {
      context.read()
    } else {
      session.tunnelReadPending = true
    }
  }
}

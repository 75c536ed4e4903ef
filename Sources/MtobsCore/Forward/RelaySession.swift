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

  let client: any Channel
  let slot: TunnelSlot
  let wait: Duration
  private var eventLoop: any EventLoop { client.eventLoop }

  private var tunnel: (any Channel)?
  /// What the client sent while no response byte has arrived; nil once one has, or when too big.
  private var replay: ByteBuffer? = ByteBuffer()
  private var responded = false
  private var clientFinished = false
  private var closed = false
  private var replays = 0
  /// When the current wait for a tunnel began.
  private var waitStarted = ContinuousClock.now
  var clientReadPending = false
  var tunnelReadPending = false

  private init(client: any Channel, slot: TunnelSlot, wait: Duration) {
    self.client = client
    self.slot = slot
    self.wait = wait
  }

  /// Relays `client` (accepted with autoRead off) from now on.
  static func start(client: any Channel, slot: TunnelSlot, wait: Duration) {
    let session = RelaySession(client: client, slot: slot, wait: wait)
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
    if let replay, replay.readableBytes > 0 { channel.writeAndFlush(replay, promise: nil) }
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

  var clientMayRead: Bool { tunnel?.isWritable ?? false }

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
      tunnel.write(bytes, promise: nil)
    } else if replay == nil {
      finish()  // bytes that can be neither sent nor kept
    }
  }

  func clientReadComplete() { tunnel?.flush() }

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
    client.write(bytes, promise: nil)
  }

  func tunnelReadComplete(on channel: any Channel) {
    if channel === tunnel { client.flush() }
  }

  /// The tunnel sent its end (half-close) or the connection closed.
  func tunnelEnded(_ channel: any Channel, completely: Bool) {
    guard channel === tunnel else { return }
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
    guard tunnelReadPending, client.isWritable, let tunnel else { return }
    tunnelReadPending = false
    tunnel.read()
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

  /// Reads only while the client can take more.
  func read(context: ChannelHandlerContext) {
    if session.client.isWritable {
      context.read()
    } else {
      session.tunnelReadPending = true
    }
  }
}

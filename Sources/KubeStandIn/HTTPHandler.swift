import NIOCore
import NIOHTTP1

/// One connection: collects each request, applies delays, writes full or chunked (watch, log follow)
/// answers, and unsubscribes streams when the client goes away. Runs on the channel's event loop;
/// `HTTPServerPipelineHandler` (before it) holds back pipelined requests until an answer ends.
final class HTTPHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  private enum Phase: Equatable {
    case idle
    case waiting  // delayed, or a delayed canned answer
    case streaming(token: Int)
    case hanging
    case closed
  }

  private let core: ServerCore
  private var head: HTTPRequestHead?
  private var body: ByteBuffer?
  private var phase = Phase.idle
  private var keepAlive = true
  private var isHead = false
  private var streamToken = 0
  private var cancelStream: (@Sendable () -> Void)?
  private var scheduled: [Scheduled<Void>] = []

  init(core: ServerCore) { self.core = core }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head):
      self.head = head
      body = nil
    case .body(var chunk):
      if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
    case .end:
      guard let head else { return }
      handle(context: context, head: head, body: body.map { Array($0.readableBytesView) } ?? [])
      self.head = nil
      body = nil
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    finishStream()
    for task in scheduled { task.cancel() }
    scheduled.removeAll()
    phase = .closed
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }

  // MARK: Requests

  private func handle(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
    keepAlive = head.isKeepAlive
    isHead = head.method == .HEAD
    var headers: [String: String] = [:]
    for (name, value) in head.headers { headers[name.lowercased()] = value }
    let request = APIRequest(method: head.method.rawValue, uri: head.uri, headers: headers, body: body)
    let preparation = core.prepare(request)
    if preparation.delay > .zero {
      phase = .waiting
      schedule(context: context, after: preparation.delay) { handler in
        handler.answer(context: context, request: request, preparation: preparation)
      }
    } else {
      answer(context: context, request: request, preparation: preparation)
    }
  }

  private func answer(context: ChannelHandlerContext, request: APIRequest, preparation: ServerCore.Preparation) {
    let reply = preparation.forced ?? preparation.router.route(request, info: preparation.info)
    switch reply {
    case .full(let full) where full.delay > .zero:
      phase = .waiting
      schedule(context: context, after: full.delay) { handler in handler.write(context: context, full) }
    case .full(let full):
      write(context: context, full)
    case .hang:
      phase = .hanging
    case .stream(let plan):
      startStream(context: context, plan: plan)
    }
  }

  private func schedule(context: ChannelHandlerContext, after delay: Duration, _ body: @escaping (HTTPHandler) -> Void)
  {
    let task = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [self] in
      guard case .waiting = phase else { return }
      body(self)
    }
    scheduled.append(task)
  }

  private func responseHead(
    status: Int, contentType: String, extra: [(String, String)], length: Int?
  ) -> HTTPResponseHead {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: contentType)
    headers.add(name: "Cache-Control", value: "no-cache, private")
    if let length {
      headers.add(name: "Content-Length", value: String(length))
    } else {
      headers.add(name: "Transfer-Encoding", value: "chunked")
    }
    for (name, value) in extra { headers.add(name: name, value: value) }
    if !keepAlive { headers.add(name: "Connection", value: "close") }
    return HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
  }

  private func write(context: ChannelHandlerContext, _ reply: HTTPReply) {
    guard phase != .closed else { return }
    phase = .idle
    scheduled.removeAll()
    context.write(
      wrapOutboundOut(
        .head(
          responseHead(
            status: reply.status, contentType: reply.contentType, extra: reply.headers, length: reply.body.count))),
      promise: nil)
    if !isHead, !reply.body.isEmpty {
      context.write(
        wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: reply.body)))), promise: nil)
    }
    endResponse(context: context)
  }

  private func endResponse(context: ChannelHandlerContext) {
    let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
    if !keepAlive {
      done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
  }

  // MARK: Streams

  private func startStream(context: ChannelHandlerContext, plan: StreamPlan) {
    streamToken += 1
    let token = streamToken
    let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
    let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
    let eventLoop = context.eventLoop
    let emit: @Sendable (StreamChunk) -> Void = { chunk in
      eventLoop.execute { loopBound.value.deliver(context: contextBound.value, chunk, token: token) }
    }
    let started: (initial: [[UInt8]], cancel: @Sendable () -> Void)
    do {
      started = try plan.start(emit)
    } catch {
      write(context: context, .error(error))
      return
    }
    phase = .streaming(token: token)
    cancelStream = started.cancel
    context.write(
      wrapOutboundOut(.head(responseHead(status: 200, contentType: plan.contentType, extra: [], length: nil))),
      promise: nil)
    for chunk in started.initial where !chunk.isEmpty {
      context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: chunk)))), promise: nil)
    }
    context.flush()
    if let timeout = plan.timeout {
      let task = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
        deliver(context: context, .end, token: token)
      }
      scheduled.append(task)
    }
  }

  private func deliver(context: ChannelHandlerContext, _ chunk: StreamChunk, token: Int) {
    guard case .streaming(let current) = phase, current == token else { return }
    switch chunk {
    case .data(let bytes):
      context.writeAndFlush(
        wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
    case .end:
      finishStream()
      for task in scheduled { task.cancel() }
      scheduled.removeAll()
      phase = .idle
      endResponse(context: context)
    }
  }

  private func finishStream() {
    cancelStream?()
    cancelStream = nil
  }
}

import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// Checks a tunnel through itself: a live kubectl with a dead tunnel still accepts connections,
/// so only an answer from the pod proves it works.
public enum TunnelProbe {
  public struct Answer: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
  }

  /// GET `path` on 127.0.0.1:`port`; any HTTP answer within `timeout` is an answer.
  public static func get(
    host: String = "127.0.0.1", port: Int, path: String, timeout: Duration, headers: [(String, String)] = [],
    bodyLimit: Int = 1 << 20
  ) async -> Result<Answer, ProbeFailure> {
    var request = HTTPClientRequest(
      url: "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path.hasPrefix("/") ? path : "/" + path)")
    // A fresh connection each time: a pooled one would not test the tunnel's ability to open streams.
    request.headers.add(name: "Connection", value: "close")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    let amount = TimeAmount.milliseconds(Int64(DurationText.milliseconds(timeout)))
    do {
      let response = try await HTTPClient.shared.execute(request, timeout: amount)
      let body = try await response.body.collect(upTo: bodyLimit)
      return .success(Answer(status: Int(response.status.code), body: Array(buffer: body)))
    } catch {
      return .failure(ProbeFailure(reason: describe(error, timeout: timeout)))
    }
  }

  /// A TCP connect to 127.0.0.1:`port` (for ports that speak no HTTP/1).
  public static func connect(port: Int, timeout: Duration) async -> Result<Void, ProbeFailure> {
    do {
      let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connectTimeout(.milliseconds(Int64(DurationText.milliseconds(timeout))))
        .connect(host: "127.0.0.1", port: port).get()
      try? await channel.close()
      return .success(())
    } catch {
      return .failure(ProbeFailure(reason: describe(error, timeout: timeout)))
    }
  }

  /// The probe a spec asks for, as a pass or a reason.
  static func check(_ probe: ForwardSpec.Probe, port: Int, timeout: Duration) async -> ProbeFailure? {
    switch probe {
    case .http(let path):
      if case .failure(let failure) = await get(port: port, path: path, timeout: timeout, bodyLimit: 64 << 10) {
        return failure
      }
      return nil
    case .tcp:
      if case .failure(let failure) = await connect(port: port, timeout: timeout) { return failure }
      return nil
    }
  }

  static func describe(_ error: any Error, timeout: Duration) -> String {
    if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
      return "no answer within \(DurationText.format(timeout))"
    }
    if let error = error as? HTTPClientError, error == .remoteConnectionClosed {
      return "the tunnel closed the connection"
    }
    return "\(error)"
  }
}

public struct ProbeFailure: Error, Sendable, Equatable {
  public var reason: String
}

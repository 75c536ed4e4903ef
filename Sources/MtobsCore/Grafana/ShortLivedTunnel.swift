import Foundation
import Synchronization

/// A tunnel opened for one errand and closed after it (health's and verify's Grafana data source
/// check): the supervised forward's machinery — a pod chosen by readiness, a probe through the
/// tunnel before use — behind a listener on an ephemeral loopback port, bounded by a time limit.
/// It does not reconnect for long: a second failed attempt ends it with kubectl's reason.
public enum ShortLivedTunnel {
  /// Why the errand did not run.
  public struct Failure: Error, Sendable, Equatable {
    public var message: String
    public var hint: String

    public init(message: String, hint: String) {
      self.message = message
      self.hint = hint
    }
  }

  /// Quick probes, a start bounded by `limit`, one immediate retry.
  static func timing(limit: Duration) -> ForwardTiming {
    ForwardTiming(
      probeInterval: .seconds(3600), probeTimeout: .seconds(3), failuresBeforeReconnect: 2,
      startLimit: min(limit, .seconds(10)), connectionWait: .seconds(5),
      backoff: .init(base: .milliseconds(200), cap: .seconds(1)))
  }

  /// Opens the tunnel `spec` describes, runs `errand` with the local port once the pod answers
  /// through it, then closes everything (the kubectl child is ended). Within `limit` in all.
  public static func run<Value: Sendable>(
    spec: ForwardSpec, kube: KubeClient, limit: Duration,
    errand: @escaping @Sendable (_ port: Int) async -> Value
  ) async -> Result<Value, Failure> {
    var spec = spec
    spec.localAddress = "127.0.0.1"
    spec.localPort = 0
    let listener: RelayListener
    do {
      listener = try await RelayListener.bind(address: "127.0.0.1", port: 0)
    } catch {
      return .failure(Failure(message: "cannot open a local port for the tunnel: \(error)", hint: "rerun"))
    }
    let (events, sink) = AsyncStream<ForwardEvent>.makeStream()
    let supervisor = ForwardSupervisor(spec: spec, kube: kube, timing: timing(limit: limit)) { sink.yield($0) }
    let name = spec.name
    let outcome = await withTaskGroup(of: Result<Value, Failure>?.self) { group in
      group.addTask {
        do {
          try await supervisor.run(listener: listener)
        } catch let error as ForwardError {
          return .failure(Failure(message: error.errorMessage, hint: error.errorHint))
        } catch {}
        return nil
      }
      group.addTask {
        try? await Task.sleep(for: limit)
        if Task.isCancelled { return nil }
        return .failure(
          Failure(
            message: "no tunnel to \(name) within \(DurationText.format(limit))",
            hint: "mtobs forward \(name)   # shows each attempt and why it failed"))
      }
      group.addTask {
        for await event in events {
          switch event {
          case .connected:
            return .success(await errand(listener.port))
          case .failed(_, let message, let hint):
            return .failure(Failure(message: message, hint: hint))
          case .retrying(_, _, let reason):
            // The second attempt failed too: say why rather than sit out the limit.
            return .failure(
              Failure(
                message: "no tunnel to \(name): \(reason)",
                hint: "mtobs forward \(name)   # shows each attempt and why it failed"))
          default:
            continue
          }
        }
        return nil
      }
      var first: Result<Value, Failure>?
      while let next = await group.next() {
        if let next {
          first = next
          break
        }
      }
      group.cancelAll()
      sink.finish()
      return first
    }
    await listener.close()
    return outcome ?? .failure(Failure(message: "the tunnel to \(name) was stopped", hint: ""))
  }
}

import Foundation
import Synchronization

/// One supervised forward: the listener stays, the tunnel behind it (a `kubectl port-forward` to
/// a ready pod, on an ephemeral loopback port) is probed through itself and replaced when it dies
/// or stops answering: at once, then with jittered exponential backoff. Credentials and RBAC
/// refusals stop it with an explanation. Runs until cancelled; emits events, never prints.
public struct ForwardSupervisor: Sendable {
  public let spec: ForwardSpec
  public let kube: KubeClient
  public let timing: ForwardTiming
  public let onEvent: @Sendable (ForwardEvent) -> Void

  public init(
    spec: ForwardSpec, kube: KubeClient, timing: ForwardTiming = .init(),
    onEvent: @escaping @Sendable (ForwardEvent) -> Void
  ) {
    self.spec = spec
    self.kube = kube
    self.timing = timing
    self.onEvent = onEvent
  }

  /// Serves `listener` and keeps a tunnel behind it until the task is cancelled (then everything
  /// is closed and the children ended) or a refusal stops it (`ForwardError`).
  public func run(listener: RelayListener) async throws {
    let slot = TunnelSlot()
    onEvent(.listening(name: spec.name, address: listener.address, port: listener.port))
    defer { slot.close() }
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await listener.serve(slot: slot, wait: timing.connectionWait) }
      group.addTask { try await superviseTunnels(slot: slot) }
      defer { group.cancelAll() }
      do {
        try await group.next()
      } catch {
        // Whatever a cancelled listener or child throws on the way out, the forward was stopped.
        guard error is CancellationError || Task.isCancelled else { throw error }
        onEvent(.stopped(name: spec.name))
        throw CancellationError()
      }
    }
  }

  /// How one tunnel ended.
  enum Ending: Sendable {
    case retryable(String)
    case fatal(message: String, hint: String)
  }

  func superviseTunnels(slot: TunnelSlot) async throws {
    let resolver = PodResolver(kube: kube, name: spec.name, service: spec.service, servicePort: spec.servicePort)
    var backoff = Backoff(policy: timing.backoff)
    // The tunnel that was lost and when, until another carries traffic.
    var lost: (pod: String, reason: String, at: ContinuousClock.Instant)?
    var avoid: String?
    let firstAttempt = ContinuousClock.now
    while true {
      try Task.checkCancellation()
      let reason: String
      do {
        let choice = try await resolver.choose(avoid: avoid)
        onEvent(.connecting(name: spec.name, pod: choice.pod, podPort: choice.port))
        let readiness = Mutex<ContinuousClock.Instant?>(nil)
        let lostSoFar = lost
        let ending = try await tunnel(to: choice) { port in
          slot.publish(port)
          let now = ContinuousClock.now
          readiness.withLock { $0 = now }
          if let lostSoFar {
            onEvent(
              .reconnected(
                name: spec.name, lostPod: lostSoFar.pod, reason: lostSoFar.reason, pod: choice.pod,
                podPort: choice.port, after: now - lostSoFar.at))
          } else {
            onEvent(.connected(name: spec.name, pod: choice.pod, podPort: choice.port, after: now - firstAttempt))
          }
        }
        slot.withdraw()
        switch ending {
        case .fatal(let message, let hint):
          onEvent(.failed(name: spec.name, message: message, hint: hint))
          throw ForwardError.refused(name: spec.name, message: message, hint: hint)
        case .retryable(let text):
          reason = text
        }
        avoid = choice.pod
        if let readyAt = readiness.withLock({ $0 }) {
          backoff.recordUptime(ContinuousClock.now - readyAt)
          lost = (choice.pod, reason, ContinuousClock.now)
          onEvent(.lost(name: spec.name, pod: choice.pod, reason: reason))
        }
      } catch let error as ForwardError {
        if case .refused = error {
        } else {
          onEvent(.failed(name: spec.name, message: error.errorMessage, hint: error.errorHint))
        }
        throw error
      } catch let error as PodResolver.Retryable {
        reason = error.reason
      }
      let delay = backoff.nextDelay()
      if delay > .zero {
        let lostText = lost.map { "tunnel to pod \($0.pod) lost (\($0.reason)); " } ?? ""
        onEvent(.retrying(name: spec.name, in: delay, reason: lostText + reason))
        try await Task.sleep(for: delay)
      }
    }
  }

  /// The kubectl command for one tunnel: the run's pinned target, loopback, an ephemeral port.
  func invocation(_ choice: PodChoice) -> Invocation {
    Invocation(
      kube.kubectl,
      kube.target.selectionArguments + [
        "port-forward", "--namespace", kube.target.namespace, "--address", "127.0.0.1", "pod/\(choice.pod)",
        ":\(choice.port)",
      ])
  }

  /// Runs one tunnel until it ends; `onReady` gets its local port once a probe passed through it.
  func tunnel(to choice: PodChoice, onReady: @escaping @Sendable (Int) -> Void) async throws -> Ending {
    let child = TunnelChild()
    let invocation = invocation(choice)
    let runner = kube.runner
    let spec = spec
    let timing = timing
    return try await withThrowingTaskGroup(of: Ending?.self) { group in
      // The child; cancelling this task tears its process group down.
      group.addTask {
        defer { child.end() }
        do {
          let result = try await runner.stream(invocation, timeout: nil) { line in child.record(line) }
          if Task.isCancelled { return nil }
          switch TunnelFailure.classify(errorLines: child.errorLines, termination: result.termination.spoken) {
          case .retryable(let reason): return .retryable(reason)
          case .fatal(let message, let hint): return .fatal(message: message, hint: hint)
          }
        } catch ProcessError.notFound(let executable) {
          let error = KubeError.kubectlMissing(executable)
          return .fatal(message: error.message, hint: error.hint)
        } catch {
          if Task.isCancelled { return nil }
          return .retryable("kubectl port-forward could not start: \(error)")
        }
      }
      // Readiness, then liveness, through the tunnel itself.
      group.addTask {
        guard let port = await child.forwardedPort() else { return nil }
        let deadline = ContinuousClock.now + timing.startLimit
        while let failure = await TunnelProbe.check(spec.probe, port: port, timeout: timing.probeTimeout) {
          if ContinuousClock.now > deadline {
            return .retryable("pod not answering through the tunnel: \(failure.reason)")
          }
          try await Task.sleep(for: .milliseconds(200))
        }
        onReady(port)
        var failures = 0
        while true {
          try await Task.sleep(for: timing.probeInterval)
          if let failure = await TunnelProbe.check(spec.probe, port: port, timeout: timing.probeTimeout) {
            failures += 1
            if failures >= timing.failuresBeforeReconnect { return .retryable("probe failed: \(failure.reason)") }
          } else {
            failures = 0
          }
        }
      }
      // The pod being replaced ends the tunnel at once (the next one avoids it).
      let watch = PodWatch(kube: kube)
      group.addTask {
        guard let reason = await watch.replacement(of: choice.pod) else { return nil }
        return .retryable(reason)
      }
      // kubectl must say it listens in time.
      group.addTask {
        try await Task.sleep(for: timing.startLimit)
        return child.isForwarding
          ? nil : .retryable("kubectl did not start forwarding within \(DurationText.format(timing.startLimit))")
      }
      defer { group.cancelAll() }
      while let next = try await group.next() {
        if let ending = next { return ending }
      }
      throw CancellationError()
    }
  }
}

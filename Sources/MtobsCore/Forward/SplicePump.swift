#if os(Linux)
  import Glibc

  /// One direction of a relayed connection's bulk phase: moves bytes from `source` to `sink`
  /// (blocking descriptors) until the source ends or either side fails.
  ///
  /// It uses splice(2) through a pipe, so the bytes never enter mtobs's memory: copying each byte
  /// in and out of user space was half of the relay's CPU time (perf), and the relay shares the
  /// cores with the client, kubectl and the pod. SwiftNIO has no splice, hence this hand-written
  /// loop. Where splice is refused (`isRefusal`: a descriptor that cannot splice, a libc or a
  /// sandbox without it) it falls back to copying through a buffer.
  struct SplicePump {
    enum Outcome: Equatable {
      /// The source ended (a half-close to pass on).
      case ended
      /// A read or write failed with this errno.
      case failed(Int32)
    }

    struct Report: Equatable {
      var outcome: Outcome
      var splicedBytes = 0
      var copiedBytes = 0
    }

    /// What one splice call asks for; also the pipe size asked for the answer's direction.
    static let chunk = 1024 * 1024
    static let copyBufferSize = 256 * 1024

    let source: Int32
    let sink: Int32
    /// The pipe's size when it should hold more than the default 64 KiB (a bulk answer).
    var pipeCapacity: Int? = nil

    func run() -> Report {
      var report = Report(outcome: .ended)
      if KernelSplice.isAvailable, let pipe = KernelSplice.pipe(capacity: pipeCapacity) {
        defer {
          close(pipe.read)
          close(pipe.write)
        }
        if let outcome = splice(through: pipe, counting: &report) {
          report.outcome = outcome
          return report
        }
      }
      report.outcome = copy(counting: &report)
      return report
    }

    /// nil when splice was refused and the rest must be copied (what was in the pipe is out).
    private func splice(through pipe: (read: Int32, write: Int32), counting report: inout Report) -> Outcome? {
      while true {
        let taken = KernelSplice.splice(from: source, to: pipe.write, count: Self.chunk)
        if taken == 0 { return .ended }
        if taken < 0 {
          let error = errno
          if error == EINTR || error == EAGAIN { continue }
          return Self.isRefusal(error) ? nil : .failed(error)
        }
        var left = taken
        while left > 0 {
          let given = KernelSplice.splice(from: pipe.read, to: sink, count: left)
          if given > 0 {
            left -= given
            report.splicedBytes += given
            continue
          }
          let error = given < 0 ? errno : EIO
          if error == EINTR || error == EAGAIN { continue }
          guard Self.isRefusal(error) else { return .failed(error) }
          // The sink takes no splice: what the pipe holds goes out by copy, then everything does.
          if let failure = drain(pipe.read, count: left, counting: &report) { return failure }
          return nil
        }
      }
    }

    /// Errors that say splice cannot be used here (not that the connection failed): EINVAL for a
    /// descriptor that cannot splice, ENOSYS and EPERM where the system call is missing or
    /// filtered (a seccomp profile), EOPNOTSUPP where the socket does not support it.
    private static func isRefusal(_ error: Int32) -> Bool {
      error == EINVAL || error == ENOSYS || error == EPERM || error == EOPNOTSUPP
    }

    private func drain(_ pipe: Int32, count: Int, counting report: inout Report) -> Outcome? {
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.copyBufferSize, alignment: 16)
      defer { buffer.deallocate() }
      var left = count
      while left > 0 {
        let got = read(pipe, buffer.baseAddress, min(left, buffer.count))
        if got < 0, errno == EINTR { continue }
        guard got > 0 else { return .failed(got < 0 ? errno : EIO) }
        if let failure = writeAll(buffer.baseAddress!, count: got) { return failure }
        report.copiedBytes += got
        left -= got
      }
      return nil
    }

    private func copy(counting report: inout Report) -> Outcome {
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.copyBufferSize, alignment: 16)
      defer { buffer.deallocate() }
      while true {
        let got = read(source, buffer.baseAddress, buffer.count)
        if got == 0 { return .ended }
        if got < 0 {
          if errno == EINTR { continue }
          return .failed(errno)
        }
        if let failure = writeAll(buffer.baseAddress!, count: got) { return failure }
        report.copiedBytes += got
      }
    }

    private func writeAll(_ bytes: UnsafeMutableRawPointer, count: Int) -> Outcome? {
      var offset = 0
      while offset < count {
        let written = write(sink, bytes + offset, count - offset)
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return .failed(written < 0 ? errno : EIO) }
        offset += written
      }
      return nil
    }
  }
#endif

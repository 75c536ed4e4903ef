#if os(Linux)
  import Glibc

  /// Linux's splice(2) and pipe2(2), which Swift's Glibc module does not import (they need
  /// _GNU_SOURCE): looked up in the C library at run time, so a libc without them only means
  /// the relay copies bytes instead (`isAvailable` is false).
  enum KernelSplice {
    private typealias SpliceFunction =
      @convention(c) (Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
    private typealias Pipe2Function = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    private static let spliceFunction: SpliceFunction? = dlsym(nil, "splice").map {
      unsafeBitCast($0, to: SpliceFunction.self)
    }
    private static let pipe2Function: Pipe2Function? = dlsym(nil, "pipe2").map {
      unsafeBitCast($0, to: Pipe2Function.self)
    }

    static var isAvailable: Bool { spliceFunction != nil && pipe2Function != nil }

    /// SPLICE_F_MOVE: pages are moved, not copied, where the kernel can.
    static let move: UInt32 = 1
    /// F_SETPIPE_SZ (fcntl.h, Linux only).
    private static let setPipeSize: Int32 = 1031

    /// Moves up to `count` bytes from `source` to `sink` (one of them a pipe); -1 and errno on failure.
    static func splice(from source: Int32, to sink: Int32, count: Int) -> Int {
      guard let spliceFunction else {
        errno = ENOSYS
        return -1
      }
      return spliceFunction(source, nil, sink, nil, count, move)
    }

    /// A pipe (read end, write end) closed on exec, asked to hold `capacity` bytes if given (it
    /// keeps its size when the user's pipe quota says no: splice then moves less per call).
    static func pipe(capacity: Int?) -> (read: Int32, write: Int32)? {
      guard let pipe2Function else { return nil }
      var ends: [Int32] = [-1, -1]
      guard pipe2Function(&ends, O_CLOEXEC) == 0 else { return nil }
      if let capacity { _ = fcntl(ends[1], setPipeSize, Int32(clamping: capacity)) }
      return (ends[0], ends[1])
    }
  }
#endif

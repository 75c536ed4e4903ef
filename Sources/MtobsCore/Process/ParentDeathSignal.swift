import CExecChild

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Starts children so that they die with mtobs, even when mtobs itself is killed with SIGKILL
/// (Linux only; elsewhere children start directly and rely on the group teardown alone).
///
/// Each child is started as `HELPER --mtobs-exec-child PID PROGRAM ARGS…`: the exec helper
/// (Sources/CExecChild; the tiny `mtobs-exec-child`, or compiled into this binary and reached as
/// `/proc/self/exe`) sets `PR_SET_PDEATHSIG` and execs PROGRAM in place, before any Swift code
/// runs in the new process.
///
/// The death signal follows the *thread* that forked the child, not the process. Swift
/// concurrency's worker threads come and go, so a child forked from one of them could be killed
/// while mtobs runs on. swift-subprocess 1.0.2 forks every child from its one worker thread
/// (`runOnBackgroundThread`), which lives until the process exits; `ChildDeathTests` starts a
/// child from a thread that then ends and fails if that ever stops being true.
enum ParentDeathSignal {
  /// The helper to start children through, or nil when this binary or system has none: the tiny
  /// `mtobs-exec-child` installed with mtobs when it is there (about 1 ms to start), else this
  /// binary itself (about 10 ms: it is large).
  static let helper: String? = {
    #if os(Linux)
      guard mtobs_exec_child_available() == 1, access("/proc/self/exe", X_OK) == 0 else { return nil }
      return installedHelper() ?? "/proc/self/exe"
    #else
      return nil
    #endif
  }()

  /// `mtobs-exec-child` beside the running binary (a build folder) or in `../libexec/mtobs`
  /// (`make install`), when it is a regular executable file that only its owner may change.
  static func installedHelper() -> String? {
    guard let binary = realpath("/proc/self/exe", nil) else { return nil }
    defer { free(binary) }
    let directory = String(cString: binary).split(separator: "/", omittingEmptySubsequences: false).dropLast()
      .joined(separator: "/")
    for candidate in [directory + "/mtobs-exec-child", directory + "/../libexec/mtobs/mtobs-exec-child"] {
      var status = stat()
      guard stat(candidate, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
        status.st_mode & (S_IWGRP | S_IWOTH) == 0, access(candidate, X_OK) == 0
      else { continue }
      return candidate
    }
    return nil
  }

  /// The signal a child receives when mtobs (the thread that started it) ends.
  static var signal: Int32 { mtobs_exec_child_death_signal() }

  /// What to execute so that `path` runs with `arguments` and dies with this process.
  static func command(
    path: String, arguments: [String], through helper: String? = ParentDeathSignal.helper
  ) -> (executable: String, arguments: [String]) {
    guard let helper else { return (path, arguments) }
    return (helper, [String(cString: mtobs_exec_child_marker()), String(getpid()), path] + arguments)
  }
}

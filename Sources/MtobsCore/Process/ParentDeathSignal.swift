import CExecChild

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Starts children so that they die with mtobs, even when mtobs itself is killed with SIGKILL
/// (Linux only; elsewhere children start directly and rely on the group teardown alone).
///
/// Each child is started as `/proc/self/exe --mtobs-exec-child PID PROGRAM ARGS…`: the exec helper
/// compiled into this binary (Sources/CExecChild) sets `PR_SET_PDEATHSIG` and execs PROGRAM in
/// place, before any Swift code runs in the new process.
///
/// The death signal follows the *thread* that forked the child, not the process. Swift
/// concurrency's worker threads come and go, so a child forked from one of them could be killed
/// while mtobs runs on. swift-subprocess 1.0.2 forks every child from its one worker thread
/// (`runOnBackgroundThread`), which lives until the process exits; `ChildDeathTests` starts a
/// child from a thread that then ends and fails if that ever stops being true.
enum ParentDeathSignal {
  /// The helper to start children through, or nil when this binary or system has none.
  static let helper: String? = {
    #if os(Linux)
      guard mtobs_exec_child_available() == 1, access("/proc/self/exe", X_OK) == 0 else { return nil }
      return "/proc/self/exe"
    #else
      return nil
    #endif
  }()

  /// The signal a child receives when mtobs (the thread that started it) ends.
  static var signal: Int32 { mtobs_exec_child_death_signal() }

  /// What to execute so that `path` runs with `arguments` and dies with this process.
  static func command(path: String, arguments: [String]) -> (executable: String, arguments: [String]) {
    guard let helper else { return (path, arguments) }
    return (helper, [String(cString: mtobs_exec_child_marker()), String(getpid()), path] + arguments)
  }
}

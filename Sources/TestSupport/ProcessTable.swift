import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What /proc says about processes, for tests that must prove a child is gone. A test that cannot
/// read /proc cannot prove it, and must skip saying so rather than pass.
public enum ProcessTable {
  /// Whether this machine shows processes in /proc (Linux with /proc mounted and readable).
  public static var isReadable: Bool {
    (try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)) != nil
  }

  public static let unreadableReason = "/proc is not readable here, so a test cannot tell whether a process is gone"

  /// One process's state letter, parent and process group, from `/proc/PID/stat`; nil once it is gone.
  public struct Entry: Equatable {
    public let pid: Int32
    public let state: Character
    public let parent: Int32
    public let group: Int32

    public var isZombie: Bool { state == "Z" || state == "X" }
  }

  public static func entry(_ pid: Int32) -> Entry? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.lastIndex(of: ")")
    else { return nil }
    // The command name may hold spaces and parentheses; the fields after its last ")" do not.
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    guard fields.count > 3, let state = fields[0].first, let parent = Int32(fields[1]), let group = Int32(fields[2])
    else { return nil }
    return Entry(pid: pid, state: state, parent: parent, group: group)
  }

  /// Every process /proc lists.
  public static func all() -> [Entry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap(Int32.init).compactMap(entry)
  }

  /// Running (not zombie) processes that are `parent`'s children or belong to one of `groups`.
  public static func living(childrenOf parent: Int32? = nil, inGroups groups: Set<Int32> = []) -> [Entry] {
    all().filter { !$0.isZombie && ($0.parent == parent || groups.contains($0.group)) }
  }

  /// Whether `pid` still runs: gone and zombie both count as not running.
  public static func isRunning(_ pid: Int32) -> Bool {
    guard let entry = entry(pid) else { return false }
    return !entry.isZombie
  }

  /// This thread's kernel id, from `/proc/thread-self` ("PID/task/TID").
  public static func currentThreadID() -> Int32? {
    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self") else {
      return nil
    }
    return target.split(separator: "/").last.flatMap { Int32($0) }
  }

  /// Whether thread `tid` of this process still exists. Its /proc entry goes only after the kernel
  /// has finished the thread's exit, parent-death signals included.
  public static func threadExists(_ tid: Int32) -> Bool {
    FileManager.default.fileExists(atPath: "/proc/self/task/\(tid)")
  }

  /// Polls `condition` until it holds or `deadline` passes; returns whether it held.
  public static func wait(upTo deadline: Duration, for condition: () -> Bool) async throws -> Bool {
    let start = ContinuousClock.now
    while !condition() {
      if ContinuousClock.now - start > deadline { return false }
      try await Task.sleep(for: .milliseconds(20))
    }
    return true
  }
}

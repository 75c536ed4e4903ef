import Foundation

/// The permission rule of PRODUCT.md §5: a plugin file, and the directory holding it, must not be
/// writable by group or others, and must belong to the current user or root. Anyone who could
/// write one could otherwise run code as the user the next time they type `mtobs NAME`.
public enum FileSafety {
  /// Why `path` (followed through symlinks) is unsafe to run, or nil.
  public static func problem(at path: String, userID: uid_t = getuid()) -> String? {
    var status = stat()
    guard stat(path, &status) == 0 else { return "cannot be read (\(String(cString: strerror(errno))))" }
    if status.st_mode & 0o022 != 0 {
      return
        "is writable by \(status.st_mode & 0o002 != 0 ? "others" : "its group") (mode \(String(status.st_mode & 0o777, radix: 8)))"
    }
    if status.st_uid != userID, status.st_uid != 0 {
      return "belongs to another user (uid \(status.st_uid))"
    }
    return nil
  }

  /// The status of the file itself (after symlinks), or nil when it does not exist.
  static func isRegularFile(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
  }

  static func isExecutable(_ path: String) -> Bool {
    access(path, X_OK) == 0
  }
}

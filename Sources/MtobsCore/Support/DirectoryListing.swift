#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The entry names of a directory with plain `opendir`/`readdir`: the plugin scan runs at every
/// `--help` and TAB, and the socket sweep and the relay's descriptor search at run time, where
/// FileManager costs several times more per entry.
public enum DirectoryListing {
  /// Where a `dirent`'s name starts.
  private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)

  /// The names in `path`, without `.` and `..`; nil when it cannot be read.
  public static func names(in path: String) -> [String]? {
    guard let nameOffset, let directory = opendir(path) else { return nil }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      // The name is read where it lies, up to its NUL. A dirent is only as long as its name
      // (d_reclen): copying the whole 256-byte `d_name` out of it reads past the end of the
      // buffer readdir filled, which crashed when that end was the end of a mapped page.
      let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }
}

import Foundation

/// Finds executables the way a shell would, so errors can name what is missing before running.
public struct ExecutableLocator: Sendable {
  public var searchPath: [String]

  public init(environment: [String: String]) {
    searchPath = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
  }

  /// The absolute path for `nameOrPath`, or nil when nothing executable is there.
  public func locate(_ nameOrPath: String, relativeTo directory: String? = nil) -> String? {
    if nameOrPath.contains("/") {
      let path =
        nameOrPath.hasPrefix("/") || directory == nil
        ? nameOrPath : (directory! as NSString).appendingPathComponent(nameOrPath)
      return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
    for directory in searchPath where !directory.isEmpty {
      let candidate = (directory as NSString).appendingPathComponent(nameOrPath)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
        FileManager.default.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
    }
    return nil
  }
}

import CLibGit2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// libgit2's functions, looked up the first time a command needs git (a plugin clone or upgrade,
/// the checkout a deploy records), instead of being linked into the executable.
///
/// Written by hand (`dlopen`/`dlsym`) because a linked libgit2 is loaded at every start of mtobs
/// with the twenty shared libraries it needs (TLS, SSH, Kerberos, PCRE) and their initialisers:
/// about 5 ms, a third of `mtobs --help` (docs/benchmarks.md, "Plugins"), for the few commands
/// that use git. The types are the ones Swift imports from `git2.h`, so a signature that drifts
/// from the header does not compile.
struct LibGit2: @unchecked Sendable {
  let libgit2Init: @convention(c) () -> Int32
  let errorLast: @convention(c) () -> UnsafePointer<git_error>?
  /// `git_libgit2_opts` is C-variadic: kept as an address for the shim that calls it.
  let libgit2Opts: UnsafeMutableRawPointer

  let repositoryOpen: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?) -> Int32
  let repositoryOpenExt:
    @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, UInt32, UnsafePointer<CChar>?) ->
      Int32
  let repositoryFree: @convention(c) (OpaquePointer?) -> Void
  let repositoryWorkdir: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
  let repositoryPath: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
  let repositoryIsWorktree: @convention(c) (OpaquePointer?) -> Int32
  let repositorySetHeadDetached: @convention(c) (OpaquePointer?, UnsafePointer<git_oid>?) -> Int32

  let referenceNameToID: @convention(c) (UnsafeMutablePointer<git_oid>?, OpaquePointer?, UnsafePointer<CChar>?) -> Int32
  let referenceLookup:
    @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UnsafePointer<CChar>?) -> Int32
  let referenceFree: @convention(c) (OpaquePointer?) -> Void
  let referenceSymbolicTarget: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?

  let oidToString: @convention(c) (UnsafePointer<git_oid>?) -> UnsafeMutablePointer<CChar>?
  let oidFromString: @convention(c) (UnsafeMutablePointer<git_oid>?, UnsafePointer<CChar>?) -> Int32

  let statusOptionsInit: @convention(c) (UnsafeMutablePointer<git_status_options>?, UInt32) -> Int32
  let statusListNew:
    @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UnsafePointer<git_status_options>?) ->
      Int32
  let statusListFree: @convention(c) (OpaquePointer?) -> Void
  let statusListEntryCount: @convention(c) (OpaquePointer?) -> Int

  let cloneOptionsInit: @convention(c) (UnsafeMutablePointer<git_clone_options>?, UInt32) -> Int32
  let clone:
    @convention(c) (
      UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
      UnsafePointer<git_clone_options>?
    ) -> Int32
  let revparseSingle:
    @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UnsafePointer<CChar>?) -> Int32
  let objectPeel: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, git_object_t) -> Int32
  let objectLookup:
    @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UnsafePointer<git_oid>?, git_object_t) ->
      Int32
  let objectFree: @convention(c) (OpaquePointer?) -> Void
  let objectID: @convention(c) (OpaquePointer?) -> UnsafePointer<git_oid>?
  let checkoutOptionsInit: @convention(c) (UnsafeMutablePointer<git_checkout_options>?, UInt32) -> Int32
  let checkoutTree: @convention(c) (OpaquePointer?, OpaquePointer?, UnsafePointer<git_checkout_options>?) -> Int32
  let graphDescendantOf: @convention(c) (OpaquePointer?, UnsafePointer<git_oid>?, UnsafePointer<git_oid>?) -> Int32

  /// The library version the headers were built against (`libgit2.so.1.5`).
  static let soVersion = LIBGIT2_SOVERSION

  /// Set to a library file to load that one instead of searching (an install in its own prefix).
  static let pathVariable = "MTOBS_LIBGIT2"

  /// The file names tried, in order: the version the headers were built against, then any.
  static var candidates: [String] {
    if let path = getenv(pathVariable).map({ String(cString: $0) }), !path.isEmpty { return [path] }
    #if canImport(Darwin)
      return ["/opt/homebrew/lib", "/usr/local/lib", ""].flatMap { folder in
        let prefix = folder.isEmpty ? "" : folder + "/"
        return [prefix + "libgit2.\(soVersion).dylib", prefix + "libgit2.dylib"]
      }
    #else
      return ["libgit2.so.\(soVersion)", "libgit2.so"]
    #endif
  }

  /// Loaded and initialised once per process; the failure, if any, is kept and given to every caller.
  static let shared: Result<LibGit2, GitError> = {
    Result { () throws(GitError) -> LibGit2 in
      let library = try load(candidates)
      _ = library.libgit2Init()
      return library
    }
  }()

  /// Why a loaded libgit2 of this version cannot be used, or nil when it is the headers' version.
  static func versionProblem(major: Int32, minor: Int32, patch: Int32) -> String? {
    guard major != LIBGIT2_VER_MAJOR || minor != LIBGIT2_VER_MINOR else { return nil }
    return "it is libgit2 \(major).\(minor).\(patch), and mtobs was built against "
      + "\(LIBGIT2_VER_MAJOR).\(LIBGIT2_VER_MINOR), whose structures differ"
  }

  static func load(_ candidates: [String]) throws(GitError) -> LibGit2 {
    var reasons: [String] = []
    for name in candidates {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
        reasons.append(dlerror().map { String(cString: $0) } ?? name)
        continue
      }
      do {
        return try LibGit2(handle: handle)
      } catch {
        // Another version (its structures differ) or not libgit2: try the next name.
        reasons.append("\(name): \(error.message)")
        dlclose(handle)
      }
    }
    throw GitError(
      code: GitError.libraryUnavailable,
      message: "libgit2 \(soVersion) could not be loaded (\(reasons.joined(separator: "; ")))")
  }

  private init(handle: UnsafeMutableRawPointer) throws(GitError) {
    func symbol<Function>(_ name: String) throws(GitError) -> Function {
      guard let address = dlsym(handle, name) else {
        throw GitError(
          code: GitError.libraryUnavailable,
          message: "the loaded libgit2 has no \(name): it is not version \(LibGit2.soVersion)")
      }
      return unsafeBitCast(address, to: Function.self)
    }
    // The option structures mtobs fills are laid out as the 1.5 headers say; another minor
    // version (1.7 added `depth` inside git_clone_options) would be misread, not refused.
    let version:
      @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) ->
        Int32 = try symbol("git_libgit2_version")
    var (major, minor, patch): (Int32, Int32, Int32) = (0, 0, 0)
    _ = version(&major, &minor, &patch)
    if let problem = Self.versionProblem(major: major, minor: minor, patch: patch) {
      throw GitError(code: GitError.libraryUnavailable, message: problem)
    }
    libgit2Init = try symbol("git_libgit2_init")
    errorLast = try symbol("git_error_last")
    libgit2Opts = try symbol("git_libgit2_opts")
    repositoryOpen = try symbol("git_repository_open")
    repositoryOpenExt = try symbol("git_repository_open_ext")
    repositoryFree = try symbol("git_repository_free")
    repositoryWorkdir = try symbol("git_repository_workdir")
    repositoryPath = try symbol("git_repository_path")
    repositoryIsWorktree = try symbol("git_repository_is_worktree")
    repositorySetHeadDetached = try symbol("git_repository_set_head_detached")
    referenceNameToID = try symbol("git_reference_name_to_id")
    referenceLookup = try symbol("git_reference_lookup")
    referenceFree = try symbol("git_reference_free")
    referenceSymbolicTarget = try symbol("git_reference_symbolic_target")
    oidToString = try symbol("git_oid_tostr_s")
    oidFromString = try symbol("git_oid_fromstr")
    statusOptionsInit = try symbol("git_status_options_init")
    statusListNew = try symbol("git_status_list_new")
    statusListFree = try symbol("git_status_list_free")
    statusListEntryCount = try symbol("git_status_list_entrycount")
    cloneOptionsInit = try symbol("git_clone_options_init")
    clone = try symbol("git_clone")
    revparseSingle = try symbol("git_revparse_single")
    objectPeel = try symbol("git_object_peel")
    objectLookup = try symbol("git_object_lookup")
    objectFree = try symbol("git_object_free")
    objectID = try symbol("git_object_id")
    checkoutOptionsInit = try symbol("git_checkout_options_init")
    checkoutTree = try symbol("git_checkout_tree")
    graphDescendantOf = try symbol("git_graph_descendant_of")
  }

  /// libgit2's last error on this thread, for a call that just returned `code`.
  func lastError(_ code: Int32) -> GitError {
    let message = errorLast().map { String(cString: $0.pointee.message) } ?? "libgit2 error"
    return GitError(code: code, message: message)
  }

  /// Turns libgit2's owner check (the "safe.directory" rule) on or off.
  func setOwnerValidation(_ enabled: Bool) {
    _ = mtobs_git_set_owner_validation(libgit2Opts, enabled ? 1 : 0)
  }
}

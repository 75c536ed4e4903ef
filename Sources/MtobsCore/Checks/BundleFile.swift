import Foundation

/// Reads and writes `mtobs bundle` files: a `Snapshot` as JSON, with secret values removed before
/// anything leaves the cluster, so a bundle can be attached to a ticket.
public enum BundleFile {
  /// Why a file is not a usable bundle (exit 2: mtobs could not run).
  public struct Error: Swift.Error, Sendable, CustomStringConvertible {
    public let message: String
    public let hint: String
    public var description: String { message }
  }

  public static func load(path: String) throws(BundleFile.Error) -> Snapshot {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Error(
        message: "cannot read bundle '\(path)'", hint: "check the path; bundles are made with `mtobs bundle -o FILE`")
    }
    return try decode(data, path: path)
  }

  public static func decode(_ data: Data, path: String) throws(BundleFile.Error) -> Snapshot {
    let notABundle = Error(
      message:
        "'\(path)' is not an mtobs bundle (expected JSON with apiVersion \(Snapshot.currentAPIVersion), kind Bundle)",
      hint: "make one with `mtobs bundle -o FILE`")
    guard let header = try? JSONDecoder().decode(Header.self, from: data) else { throw notABundle }
    guard header.kind == Snapshot.bundleKind else { throw notABundle }
    guard header.apiVersion == Snapshot.currentAPIVersion else {
      throw Error(
        message:
          "'\(path)' is a bundle of format \(header.apiVersion ?? "?"), this mtobs reads \(Snapshot.currentAPIVersion)",
        hint: "evaluate it with the mtobs version that made it, or make a new bundle")
    }
    do {
      return try JSONDecoder().decode(Snapshot.self, from: data)
    } catch {
      throw Error(
        message: "'\(path)' is a damaged bundle: \(describe(error))", hint: "make a new one with `mtobs bundle -o FILE`"
      )
    }
  }

  /// The bundle's bytes: pretty, sorted JSON, secrets removed.
  public static func encode(_ snapshot: Snapshot) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(sanitized(snapshot))
  }

  /// Writes atomically and readable by the owner only from the first byte (it describes the
  /// cluster): a private temporary file beside the target, then a rename.
  public static func write(_ snapshot: Snapshot, to path: String) throws {
    let data = try encode(snapshot)
    let directory = (path as NSString).deletingLastPathComponent
    let temporary = (directory.isEmpty ? "." : directory) + "/.mtobs-bundle-\(UUID().uuidString).tmp"
    let cannotWrite = { (reason: String) in
      Error(message: "cannot write bundle '\(path)': \(reason)", hint: "choose a writable place with -o FILE")
    }
    // open(2) with mode 0600 rather than FileManager, which may create the file with the umask's
    // mode and narrow it only after writing.
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw cannotWrite(
        FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory)
          ? "the folder is not writable" : "the folder does not exist")
    }
    let written = data.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count {
        let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return false }
        offset += count
      }
      return true
    }
    let writeError = written ? nil : String(cString: strerror(errno))
    close(descriptor)
    guard written else {
      try? FileManager.default.removeItem(atPath: temporary)
      throw cannotWrite(writeError ?? "write failed")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(atPath: temporary)
      throw cannotWrite(reason)
    }
  }

  // MARK: - Removing secrets (pure; the rules are in `BundleRedaction`)

  public static func sanitized(_ snapshot: Snapshot) -> Snapshot {
    var copy = snapshot
    let sanitize = { (object: KubeObject) in KubeObject(BundleRedaction.sanitize(object.raw)) }
    copy.stack.value = snapshot.stack.value?.map(sanitize)
    copy.events.value = snapshot.events.value?.map(sanitize)
    copy.dapr.value = snapshot.dapr.value?.map(sanitize)
    // The collector's configuration may hold exporter credentials (headers, api_key).
    copy.collectorConfigMaps?.value = snapshot.collectorConfigMaps?.value?.map(sanitize)
    copy.collectorClusterRBAC?.value = snapshot.collectorClusterRBAC?.value?.map(sanitize)
    copy.collectorNamespaceRBAC?.value = snapshot.collectorNamespaceRBAC?.value?.map(sanitize)
    copy.daprDebug = snapshot.daprDebug?.sanitized()
    copy.probes = snapshot.probes.map { probe in
      var probe = probe
      probe.body = probe.body.map(BundleRedaction.redact)
      return probe
    }
    // Loki's lines are the apps' logs: redacted like the log tails.
    copy.verify?.probes = (snapshot.verify?.probes ?? []).map { probe in
      var probe = probe
      probe.body = probe.body.map(BundleRedaction.redact)
      return probe
    }
    copy.logs = snapshot.logs.map { tail in
      var tail = tail
      tail.lines = tail.lines.map(BundleRedaction.redact)
      return tail
    }
    return copy
  }

  private struct Header: Decodable {
    var apiVersion: String?
    var kind: String?
  }

  private static func describe(_ error: any Swift.Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?:
      "missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
    case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
      "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
    default:
      "\(error)"
    }
  }
}

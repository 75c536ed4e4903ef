import Foundation

/// `mtobs config`: every key, its effective value and its origin.
public struct ConfigView: Sendable {
  public let configuration: Configuration

  public init(configuration: Configuration) {
    self.configuration = configuration
  }

  public func table() -> String {
    let rows = configuration.settings.map { setting in
      [setting.key.name, setting.value?.description ?? "(unset)", setting.origin.description]
    }
    return TextTable.render(header: ["KEY", "VALUE", "ORIGIN"], rows: rows)
  }

  private struct Entry: Encodable {
    let key: String
    let value: String?
    let origin: String
  }

  public func json() throws -> String {
    let entries = configuration.settings.map {
      Entry(key: $0.key.name, value: $0.value?.description, origin: $0.origin.description)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(Document(files: configuration.files, settings: entries)), as: UTF8.self)
  }

  private struct Document: Encodable {
    let files: [String]
    let settings: [Entry]
  }
}

import ArgumentParser
import MtobsCore

/// The check every positive duration option shares (`--wait`, `--since`, `--timeout`): a usage
/// error (64) that names the option and gives examples, or says the value is too large.
enum DurationOption {
  static func validate(_ value: String?, flag: String, examples: String) throws {
    guard let value else { return }
    switch DurationText.read(value) {
    case .success(let duration) where duration > .zero: return
    case .failure(.tooLarge): throw ValidationError("\(flag) '\(value)' is \(DurationText.Problem.tooLarge)")
    default: throw ValidationError("\(flag) takes a duration such as \(examples), not '\(value)'")
    }
  }
}

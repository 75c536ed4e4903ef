import ArgumentParser
import MtobsCore

/// `--request-timeout DURATION`, kubectl's name for the time limit of each call to the cluster
/// (the configuration key `timeout`), for the commands that read the cluster.
struct RequestTimeoutOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Time limit of each call to the cluster (e.g. 30s; default: the `timeout` key, 10s).", valueName: "duration"))
  var requestTimeout: String?

  func validate() throws {
    if let requestTimeout, DurationText.parse(requestTimeout).map({ $0 > .zero }) != true {
      throw ValidationError("--request-timeout takes a duration such as 10s, 30s or 2m, not '\(requestTimeout)'")
    }
  }

  /// `global` with this option, so the configuration shows `--request-timeout` as the origin.
  func applied(to global: GlobalSettings) -> GlobalSettings {
    var settings = global
    settings.requestTimeout = requestTimeout
    return settings
  }
}

import ArgumentParser

/// `-o table|json` for commands that have a machine-readable form.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

import Testing

@testable import MtobsCore

@Suite("Configuration merge")
struct ConfigurationTests {
  private func file(_ text: String, _ path: String) throws -> ConfigFile {
    try ConfigFile.parse(text, path: path)
  }

  @Test func defaultsAreTheSeedTable() throws {
    let configuration = try Configuration.resolve(flags: [], environment: [:], files: [])
    #expect(configuration.string(.namespace) == "monitoring")
    #expect(configuration.string(.grafanaService) == "lgtm-grafana")
    #expect(configuration.port(.grafanaPort) == 80)
    #expect(configuration.string(.collectorService) == "otel-collector-opentelemetry-collector")
    #expect(configuration.port(.collectorZipkinPort) == 9411)
    #expect(configuration.port(.collectorHealthPort) == 13133)
    #expect(configuration.port(.mimirPort) == 9009)
    #expect(configuration.string(.appNamespace) == "mathtrail")
    #expect(configuration.string(.daprConfiguration) == "mathtrail-observability")
    #expect(configuration.duration(.timeout) == .seconds(10))
    #expect(configuration.setting(.namespace).origin == .builtIn)
    #expect(configuration.string(.context) == nil)
  }

  @Test func precedenceIsFlagsThenEnvironmentThenFilesThenDefaults() throws {
    let user = try file(
      "namespace: from-user\ngrafana:\n  port: 3001\napp-namespace: apps-user\n", "/home/u/config.yaml")
    let repo = try file("namespace: from-repo\ngrafana:\n  port: 3002\n", "/repo/mtobs.yaml")
    let flags = [Configuration.FlagValue(key: .namespace, text: "from-flag", flag: "--namespace")]

    let all = try Configuration.resolve(
      flags: flags, environment: ["MTOBS_NAMESPACE": "from-env", "MTOBS_CONTEXT": "dev"], files: [user, repo])
    #expect(all.string(.namespace) == "from-flag")
    #expect(all.setting(.namespace).origin == .flag("--namespace"))
    #expect(all.string(.context) == "dev")
    #expect(all.setting(.context).origin == .environment("MTOBS_CONTEXT"))
    #expect(all.port(.grafanaPort) == 3002)
    #expect(all.setting(.grafanaPort).origin == .file(path: "/repo/mtobs.yaml", line: 3))
    #expect(all.string(.appNamespace) == "apps-user")
    #expect(all.setting(.appNamespace).origin == .file(path: "/home/u/config.yaml", line: 4))

    let noFlags = try Configuration.resolve(
      flags: [], environment: ["MTOBS_NAMESPACE": "from-env"], files: [user, repo])
    #expect(noFlags.string(.namespace) == "from-env")
    let filesOnly = try Configuration.resolve(flags: [], environment: [:], files: [user, repo])
    #expect(filesOnly.string(.namespace) == "from-repo")
    let userOnly = try Configuration.resolve(flags: [], environment: [:], files: [user])
    #expect(userOnly.string(.namespace) == "from-user")
  }

  @Test func emptyEnvironmentVariableCountsAsUnset() throws {
    let configuration = try Configuration.resolve(flags: [], environment: ["MTOBS_NAMESPACE": ""], files: [])
    #expect(configuration.string(.namespace) == "monitoring")
  }

  @Test func toolPathsComeFromTheirVariables() throws {
    let configuration = try Configuration.resolve(
      flags: [], environment: ["MTOBS_KUBECTL": "/opt/k", "MTOBS_SKAFFOLD": "/opt/s", "MTOBS_HELM": "/opt/h"], files: []
    )
    #expect(configuration.string(.kubectl) == "/opt/k")
    #expect(configuration.string(.skaffold) == "/opt/s")
    #expect(configuration.string(.helm) == "/opt/h")
  }

  @Test func listsAndDurationsParse() throws {
    let parsed = try file("timeout: 1m30s\ndeploy:\n  protected-contexts: [\"*prod*\", \"live-*\"]\n", "f.yaml")
    let configuration = try Configuration.resolve(flags: [], environment: [:], files: [parsed])
    #expect(configuration.duration(.timeout) == .seconds(90))
    #expect(configuration.list(.protectedContexts) == ["*prod*", "live-*"])
  }

  @Test func emptyFileSetsNothing() throws {
    #expect(try file("", "empty.yaml").entries.isEmpty)
    #expect(try file("# only a comment\n", "c.yaml").entries.isEmpty)
  }
}

@Suite("Configuration errors name file, line and key")
struct ConfigurationErrorTests {
  private func error(_ text: String) -> ConfigError? {
    do {
      _ = try ConfigFile.parse(text, path: "/repo/mtobs.yaml")
      return nil
    } catch {
      return error
    }
  }

  @Test func unknownKeySuggestsTheRightOne() {
    #expect(
      error("namespace: a\nnamespce: b\n")?.description
        == "/repo/mtobs.yaml:2: namespce: unknown key (did you mean 'namespace'?)")
  }

  @Test func unknownNestedKey() {
    #expect(
      error("grafana:\n  prot: 3000\n")?.description
        == "/repo/mtobs.yaml:2: grafana.prot: unknown key (did you mean 'grafana.port'?)")
  }

  @Test func wrongType() {
    #expect(
      error("grafana:\n  port: eighty\n")?.description
        == "/repo/mtobs.yaml:2: grafana.port: expected a port number (1-65535), got 'eighty'")
    #expect(
      error("grafana: 3\n")?.description
        == "/repo/mtobs.yaml:1: grafana: expected a mapping of grafana.* keys, got a scalar")
    #expect(
      error("namespace:\n  a: b\n")?.description == "/repo/mtobs.yaml:2: namespace: expected a string, got a mapping")
    #expect(error("timeout: soon\n")?.key == "timeout")
    #expect(error("grafana:\n  port: 70000\n")?.line == 2)
  }

  @Test func malformedYAMLHasALine() {
    let problem = error("namespace: monitoring\ngrafana: [unclosed\n")
    #expect(problem?.line != nil)
    #expect(problem?.message.hasPrefix("invalid YAML") == true)
  }

  @Test func topLevelMustBeAMapping() {
    #expect(error("- a\n- b\n")?.message == "expected a mapping of keys at the top level")
  }

  @Test func badEnvironmentValueIsReported() {
    #expect(throws: ConfigError.self) {
      try Configuration.resolve(
        flags: [.init(key: .namespace, text: "", flag: "--namespace")], environment: [:], files: [])
    }
  }
}

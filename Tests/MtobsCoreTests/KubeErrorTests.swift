import Testing

@testable import MtobsCore

@Suite("kubectl errors become one line of advice")
struct KubeErrorTests {
  let target = KubeTarget(context: "dev", kubeconfig: nil, namespace: "monitoring")

  private func classify(_ stderr: String) -> KubeError {
    KubeError.classify(standardError: stderr, target: target, what: "listing pods")
  }

  @Test func unreachable() {
    let error = classify("Unable to connect to the server: dial tcp 127.0.0.1:1: connect: connection refused\n")
    #expect(error.reason == .unreachable)
    #expect(
      error.message == "cannot reach the API server of context 'dev': dial tcp 127.0.0.1:1: connect: connection refused"
    )
    #expect(error.hint.contains("kubectl cluster-info"))
  }

  @Test func refusedConnection() {
    let error = classify(
      "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?")
    #expect(error.reason == .unreachable)
    #expect(error.message == "cannot reach the API server of context 'dev': connection to 127.0.0.1:1 refused")
  }

  @Test func missingContext() {
    #expect(classify("error: context was not found for specified context: dev").reason == .contextNotFound)
    #expect(classify("error: context \"dev\" does not exist").reason == .contextNotFound)
    #expect(classify("error: context \"dev\" does not exist").hint.contains("kubectl config get-contexts"))
  }

  @Test func authentication() {
    #expect(classify("error: You must be logged in to the server (Unauthorized)").reason == .unauthorized)
    let forbidden = classify(
      "Error from server (Forbidden): secrets is forbidden: User \"bob\" cannot list resource \"secrets\" in API group \"\" in the namespace \"monitoring\""
    )
    #expect(forbidden.reason == .forbidden)
    #expect(forbidden.message.hasPrefix("not allowed: secrets is forbidden: User \"bob\""))
    #expect(forbidden.hint.contains("kubectl auth can-i"))
  }

  @Test func timeoutsAndNotFound() {
    #expect(
      classify("Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded)").reason
        == .timeout)
    #expect(classify("error: context deadline exceeded").reason == .timeout)
    #expect(classify("Error from server (NotFound): namespaces \"nope\" not found").reason == .notFound)
    #expect(
      classify("Error from server (NotFound): namespaces \"nope\" not found").message == "namespaces \"nope\" not found"
    )
    #expect(
      classify("The connection to the server localhost:8080 was refused - did you specify the right host or port?")
        .reason == .noConfiguration)
    #expect(classify("something odd").reason == .failed)
  }
}

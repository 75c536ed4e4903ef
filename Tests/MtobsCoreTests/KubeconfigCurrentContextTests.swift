import Foundation
import Testing

@testable import MtobsCore

@Suite struct KubeconfigCurrentContextTests {
  @Test func theFirstFileThatSetsItWinsAsInKubectl() throws {
    let folder = try TemporaryDirectory()
    let empty = try folder.write("apiVersion: v1\nkind: Config\ncontexts: []\n", to: "a")
    let dev = try folder.write("apiVersion: v1\nkind: Config\ncurrent-context: dev\n", to: "b")
    let prod = try folder.write("current-context: prod-eu\n", to: "c")
    let list = [empty.path, dev.path, prod.path].joined(separator: ":")
    #expect(KubeconfigCurrentContext.read(kubeconfig: nil, environment: ["KUBECONFIG": list]) == "dev")
    #expect(KubeconfigCurrentContext.read(kubeconfig: prod.path, environment: ["KUBECONFIG": list]) == "prod-eu")
    _ = try folder.write("current-context: home-ctx\n", to: ".kube/config")
    #expect(KubeconfigCurrentContext.read(kubeconfig: nil, environment: ["HOME": folder.url.path]) == "home-ctx")
  }

  /// Names are strings, as kubectl reads them: a context called `2026` is not a number, and a
  /// null current-context is unset.
  @Test func namesAreReadAsStrings() throws {
    let folder = try TemporaryDirectory()
    let numeric = try folder.write("current-context: 2026\n", to: "numeric")
    #expect(KubeconfigCurrentContext.read(kubeconfig: numeric.path, environment: [:]) == "2026")
    let boolean = try folder.write("current-context: yes\n", to: "boolean")
    #expect(KubeconfigCurrentContext.read(kubeconfig: boolean.path, environment: [:]) == "yes")
    let unset = try folder.write("current-context: null\n", to: "unset")
    let dev = try folder.write("current-context: dev\n", to: "dev")
    let list = [unset.path, dev.path].joined(separator: ":")
    #expect(KubeconfigCurrentContext.read(kubeconfig: nil, environment: ["KUBECONFIG": list]) == "dev")
  }

  @Test func nothingUsableIsNil() throws {
    let folder = try TemporaryDirectory()
    let broken = try folder.write("current-context: [oops\n", to: "broken")
    #expect(KubeconfigCurrentContext.read(kubeconfig: broken.path, environment: [:]) == nil)
    #expect(KubeconfigCurrentContext.read(kubeconfig: "/nonexistent", environment: [:]) == nil)
    #expect(KubeconfigCurrentContext.read(kubeconfig: nil, environment: ["HOME": folder.url.path]) == nil)
  }
}

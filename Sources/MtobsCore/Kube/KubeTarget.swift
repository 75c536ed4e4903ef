/// Which cluster and namespace every kubectl call goes to.
public struct KubeTarget: Sendable, Equatable {
  public var context: String?
  public var kubeconfig: String?
  public var namespace: String

  public init(context: String?, kubeconfig: String?, namespace: String) {
    self.context = context
    self.kubeconfig = kubeconfig
    self.namespace = namespace
  }

  /// The flags that select the cluster, given to every kubectl child.
  public var selectionArguments: [String] {
    var arguments: [String] = []
    if let kubeconfig { arguments += ["--kubeconfig", kubeconfig] }
    if let context { arguments += ["--context", context] }
    return arguments
  }
}

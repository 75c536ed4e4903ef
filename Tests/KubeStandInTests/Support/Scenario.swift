import KubeStandIn

/// A small monitoring stack spread over three namespaces, used by most integration tests.
enum Scenario {
  static let yaml = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: prometheus, namespace: monitoring, labels: {app: prometheus}}
    spec:
      replicas: 1
      selector: {matchLabels: {app: prometheus}}
      template:
        metadata: {labels: {app: prometheus}}
        spec: {containers: [{name: prometheus, image: prom/prometheus}]}
    status:
      observedGeneration: 1
      replicas: 1
      readyReplicas: 1
      updatedReplicas: 1
      availableReplicas: 1
      conditions:
        - {type: Available, status: "True", reason: MinimumReplicasAvailable}
        - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: node-exporter, namespace: monitoring, labels: {app: node-exporter}}
    spec: {selector: {matchLabels: {app: node-exporter}}}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: alertmanager, namespace: monitoring, labels: {app: alertmanager}}
    spec: {replicas: 1, serviceName: alertmanager, selector: {matchLabels: {app: alertmanager}}}
    ---
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: Pod
        metadata: {name: prometheus-7d9f, namespace: monitoring, labels: {app: prometheus, tier: backend}}
        spec:
          containers:
            - {name: prometheus, image: prom/prometheus, ports: [{name: web, containerPort: 9090}]}
            - {name: sidecar, image: busybox}
        status: {phase: Running, podIP: 10.1.0.5, conditions: [{type: Ready, status: "True"}]}
      - apiVersion: v1
        kind: Pod
        metadata: {name: node-exporter-x1, namespace: monitoring, labels: {app: node-exporter}}
        spec: {containers: [{name: exporter, image: prom/node-exporter}]}
        status: {phase: Running}
      - apiVersion: v1
        kind: Pod
        metadata: {name: alertmanager-0, namespace: monitoring, labels: {app: alertmanager, tier: backend}}
        spec: {containers: [{name: alertmanager, image: prom/alertmanager}]}
        status: {phase: Running}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: prometheus, namespace: monitoring}
    spec: {selector: {app: prometheus}, ports: [{name: web, port: 9090, targetPort: 9090}]}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: web-0, namespace: default, labels: {app: web, tier: frontend}}
    spec: {containers: [{name: web, image: nginx}]}
    status: {phase: Running}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: cart-0, namespace: shop, labels: {app: cart, tier: backend}}
    spec: {containers: [{name: cart, image: shop/cart}]}
    status: {phase: Pending}
    ---
    apiVersion: v1
    kind: Secret
    metadata: {name: db-password, namespace: shop}
    data: {password: aHVudGVyMg==}
    ---
    apiVersion: dapr.io/v1alpha1
    kind: Configuration
    metadata: {name: tracing, namespace: shop}
    spec: {tracing: {samplingRate: "1"}}
    """

  static func state() throws -> ClusterState { try ClusterState(yaml: yaml) }
}

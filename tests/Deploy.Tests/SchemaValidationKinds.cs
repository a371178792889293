namespace RegistryCloud.Deploy.Tests;

/// <summary>
/// A small valid object of every kind the manifests use, and a one-field change that breaks it the
/// way the Kubernetes schema forbids (wrong type, missing required field, value outside an enum).
/// </summary>
internal static class SchemaValidationKinds
{
    /// <summary>Kind, valid YAML, text to replace, its replacement, and the error the broken one must report.</summary>
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        {
            "Deployment", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: registrycloud/gateway:latest
                      resources: {requests: {cpu: 100m, memory: 128Mi}}
            """,
            "replicas: 2", "replicas: \"two\"", "Deployment/web: spec.replicas: must be an integer (got \"two\")"
        },
        {
            "StatefulSet", """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: redis}
            spec:
              serviceName: redis
              selector: {matchLabels: {app: redis}}
              template:
                metadata: {labels: {app: redis}}
                spec: {containers: [{name: redis, image: redis:7}]}
              volumeClaimTemplates:
                - metadata: {name: data}
                  spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
            """,
            "storage: 5Gi", "storage: five", "StatefulSet/redis: spec.volumeClaimTemplates[0].spec.resources.requests.storage: must be a number or a string in quantity format"
        },
        {
            "Service", """
            apiVersion: v1
            kind: Service
            metadata: {name: gateway}
            spec:
              selector: {app: gateway}
              ports: [{name: http, port: 5000, targetPort: http}]
            """,
            "port: 5000, ", "", "Service/gateway: spec.ports[0].port: is required"
        },
        {
            "ConfigMap", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: registry-config}
            data: {config.yml: "version: 0.1"}
            """,
            "\"version: 0.1\"", "0.1", "ConfigMap/registry-config: data[\"config.yml\"]: must be a string (got 0.1)"
        },
        {
            "Secret", """
            apiVersion: v1
            kind: Secret
            metadata: {name: registry-auth}
            type: Opaque
            immutable: true
            stringData: {htpasswd: "alice:$2y$05$abc"}
            """,
            "immutable: true", "immutable: \"true\"", "Secret/registry-auth: immutable: must be a boolean (got \"true\")"
        },
        {
            "PersistentVolumeClaim", """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: registry-data}
            spec:
              accessModes: [ReadWriteMany]
              resources: {requests: {storage: 100Gi}}
            """,
            "ReadWriteMany", "ReadWriteAll", "PersistentVolumeClaim/registry-data: spec.accessModes[0]: must be one of"
        },
        {
            "Ingress", """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: registry}
            spec:
              ingressClassName: nginx
              tls: [{hosts: [registry.example.com], secretName: registry-tls}]
              rules:
                - host: registry.example.com
                  http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend: {service: {name: gateway, port: {number: 5000}}}
            """,
            "pathType: Prefix", "pathType: Everything", "Ingress/registry: spec.rules[0].http.paths[0].pathType: must be one of"
        },
        {
            "HorizontalPodAutoscaler", """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: blobservice}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: blobservice}
              minReplicas: 2
              maxReplicas: 6
              metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
            """,
            "maxReplicas: 6", "", "HorizontalPodAutoscaler/blobservice: spec.maxReplicas: is required"
        },
        {
            "PodDisruptionBudget", """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: gateway}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {app: gateway}}
            """,
            "maxUnavailable: 1", "maxUnavailable: [1]", "PodDisruptionBudget/gateway: spec.maxUnavailable: must be a string or an integer (got [1])"
        },
        {
            "NetworkPolicy", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny}
            spec:
              podSelector: {}
              policyTypes: [Ingress]
            """,
            "policyTypes: [Ingress]", "policyTypes: [Inbound]", "NetworkPolicy/default-deny: spec.policyTypes[0]: must be one of \"Egress\", \"Ingress\" (got \"Inbound\")"
        },
        {
            "Namespace", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: registrycloud, labels: {app.kubernetes.io/part-of: registrycloud}}
            """,
            "part-of: registrycloud", "part-of: 1", "Namespace/registrycloud: metadata.labels[\"app.kubernetes.io/part-of\"]: must be a string (got 1)"
        },
    };
}

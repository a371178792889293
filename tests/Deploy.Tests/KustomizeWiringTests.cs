using System.Globalization;
using System.Text.RegularExpressions;
using RegistryCloud.Configuration;
using static RegistryCloud.Deploy.Tests.K8sQueries;

namespace RegistryCloud.Deploy.Tests;

/// <summary>
/// Renders every overlay with <c>kubectl kustomize</c> and checks that the output is wired: Services
/// select pods and target their ports, probes hit the health endpoints, every service gets the
/// listeners, configuration, Redis and service-discovery variables it reads, and config.yml loads.
/// </summary>
public sealed class KustomizeWiringTests
{
    public static readonly TheoryData<string> Overlays = new() { "dev", "production", "production-filesystem" };

    private static readonly string[] RegistryServices = ["gateway", "blobservice", "manifestservice", "notifierservice"];
    private static readonly string[] ScaledServices = ["gateway", "blobservice", "manifestservice"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders_every_resource(string overlay)
    {
        var objects = Rendered.Overlay(overlay);
        foreach (var name in RegistryServices)
        {
            Assert.Contains(objects, o => o.Kind == "Deployment" && o.Name == name);
            Assert.Contains(objects, o => o.Kind == "Service" && o.Name == name);
            Assert.Contains(objects, o => o.Kind == "PodDisruptionBudget" && o.Name == name);
        }

        Assert.Contains(objects, o => o.Kind == "StatefulSet" && o.Name == "redis");
        Assert.Contains(objects, o => o.Kind == "Service" && o.Name == "redis");
        Assert.Contains(objects, o => o.Kind == "Ingress");
        Assert.Contains(objects, o => o.Kind == "ConfigMap" && o.Name.StartsWith("registry-config", StringComparison.Ordinal));
        Assert.All(objects.Where(o => o.Kind != "Namespace"), o => Assert.Equal("registrycloud", o.Text("metadata", "namespace")));
        if (overlay == "production")
        {
            // On object storage: no shared volume at all.
            Assert.DoesNotContain(objects, o => o.Kind == "PersistentVolumeClaim" && o.Name == "registry-data");
            return;
        }

        var pvc = Assert.Single(objects, o => o.Kind == "PersistentVolumeClaim" && o.Name == "registry-data");
        if (overlay == "production-filesystem")
        {
            Assert.Equal(["ReadWriteMany"], pvc.List("spec", "accessModes").Cast<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_service_selects_pods_and_targets_their_ports(string overlay)
    {
        var objects = Rendered.Overlay(overlay);
        foreach (var service in objects.Where(o => o.Kind == "Service"))
        {
            var selector = service.Map("spec", "selector");
            Assert.True(selector.Count > 0, $"{service} has no selector");
            var workloads = Workloads(objects).Where(w => Matches(selector, w.Map("spec", "template", "metadata", "labels"))).ToList();
            Assert.True(workloads.Count > 0, $"{service} selects no Deployment or StatefulSet pods ({Describe(selector)})");

            foreach (var port in Yaml.Maps(service.At("spec", "ports")))
            {
                var target = port.GetValueOrDefault("targetPort") as string ?? port.GetValueOrDefault("port") as string;
                Assert.NotNull(target);
                foreach (var workload in workloads)
                {
                    Assert.True(ResolvePort(workload, target) is not null, $"{service} targetPort {target} is not a containerPort of {workload}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_hit_health_endpoints_on_container_ports(string overlay)
    {
        foreach (var deployment in Deployments(Rendered.Overlay(overlay)))
        {
            var container = MainContainer(deployment);
            foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
            {
                var httpGet = Yaml.Map(Yaml.At(container, probe, "httpGet"));
                Assert.True(httpGet.Count > 0, $"{deployment} has no HTTP {probe}");
                var path = httpGet.GetValueOrDefault("path") as string;
                Assert.Contains(path, new[] { "/health", "/alive" });
                var port = httpGet.GetValueOrDefault("port") as string;
                Assert.True(port is not null && ResolvePort(deployment, port) is not null, $"{deployment} {probe} port {port} is not a containerPort");
            }

            Assert.Equal("/health", Yaml.At(container, "readinessProbe", "httpGet", "path"));
            Assert.Equal("/alive", Yaml.At(container, "livenessProbe", "httpGet", "path"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Pods_run_non_root_with_a_read_only_root_filesystem_and_resources(string overlay)
    {
        foreach (var workload in Workloads(Rendered.Overlay(overlay)))
        {
            var pod = workload.Map("spec", "template", "spec");
            Assert.Equal("true", Yaml.At(pod, "securityContext", "runAsNonRoot"));
            foreach (var container in Yaml.Maps(pod.GetValueOrDefault("containers")))
            {
                Assert.Equal("true", Yaml.At(container, "securityContext", "readOnlyRootFilesystem"));
                Assert.Equal("false", Yaml.At(container, "securityContext", "allowPrivilegeEscalation"));
                Assert.NotNull(Yaml.At(container, "resources", "requests", "memory"));
                Assert.NotNull(Yaml.At(container, "resources", "limits", "memory"));
                var tmp = Yaml.Maps(container.GetValueOrDefault("volumeMounts")).SingleOrDefault(m => (string?)m["mountPath"] == "/tmp");
                Assert.True(tmp is not null, $"{workload} does not mount /tmp");
                var volume = Volume(workload, (string)tmp["name"]!);
                Assert.True(volume.ContainsKey("emptyDir"), $"{workload}: /tmp is not an emptyDir");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_service_gets_its_listeners_configuration_redis_and_discovery(string overlay)
    {
        var objects = Rendered.Overlay(overlay);
        var redisAddress = ServiceAddress(objects, "redis", "redis", scheme: null);
        foreach (var deployment in Deployments(objects))
        {
            var env = Environment(deployment);

            // Kestrel's HTTP listener on all interfaces, on the port named "http".
            var httpPort = ResolvePort(deployment, "http");
            Assert.True(httpPort is not null, $"{deployment} has no containerPort named http");
            Assert.Equal($"http://0.0.0.0:{httpPort}", env.GetValueOrDefault("Kestrel__Endpoints__http__Url"));
            Assert.DoesNotContain("REGISTRYCLOUD_HTTP_PORT", env.Keys); // localhost-only: unreachable in a pod
            Assert.DoesNotContain("REGISTRYCLOUD_GRPC_PORT", env.Keys);
            if (deployment.Name == "webconsole")
            {
                // The console reads no config.yml and keeps no upload state: it calls the gateway.
                continue;
            }

            // config.yml: REGISTRY_CONFIGURATION_PATH names the ConfigMap's key where it is mounted.
            var configPath = env.GetValueOrDefault("REGISTRY_CONFIGURATION_PATH");
            Assert.True(configPath is not null, $"{deployment} lacks REGISTRY_CONFIGURATION_PATH");
            var (volume, subPath) = MountedVolume(deployment, configPath);
            var configMapName = Yaml.At(volume, "configMap", "name") as string;
            Assert.True(configMapName is not null, $"{deployment}: {configPath} is not on a ConfigMap volume");
            var configMap = Assert.Single(objects, o => o.Kind == "ConfigMap" && o.Name == configMapName);
            Assert.True(configMap.Map("data").ContainsKey(subPath), $"ConfigMap {configMapName} has no key {subPath} for {configPath}");

            // http.secret must be the same on every replica of every service (upload state).
            Assert.True(env.ContainsKey("REGISTRY_HTTP_SECRET"), $"{deployment} lacks REGISTRY_HTTP_SECRET");
        }

        var blob = Deployment(objects, "blobservice");
        var blobEnv = Environment(blob);
        var grpcPort = ResolvePort(blob, "grpc");
        Assert.True(grpcPort is not null, "blobservice has no containerPort named grpc");
        Assert.Equal($"http://0.0.0.0:{grpcPort}", blobEnv.GetValueOrDefault("Kestrel__Endpoints__grpc__Url"));
        Assert.Equal("Http2", blobEnv.GetValueOrDefault("Kestrel__Endpoints__grpc__Protocols"));

        foreach (var name in new[] { "blobservice", "manifestservice", "notifierservice" })
        {
            Assert.Equal(redisAddress, Environment(Deployment(objects, name)).GetValueOrDefault("ConnectionStrings__redis"));
        }

        var gateway = Environment(Deployment(objects, "gateway"));
        Assert.Equal(ServiceAddress(objects, "blobservice", "http", "http"), gateway.GetValueOrDefault("services__blobservice__http__0"));
        Assert.Equal(ServiceAddress(objects, "manifestservice", "http", "http"), gateway.GetValueOrDefault("services__manifestservice__http__0"));

        // The console behind the gateway's /console/ route, calling the registry API back through the gateway.
        Assert.Equal(ServiceAddress(objects, "webconsole", "http", "http"), gateway.GetValueOrDefault("Console__Address"));
        var console = Environment(Deployment(objects, "webconsole"));
        Assert.Equal(ServiceAddress(objects, "gateway", "http", "http"), console.GetValueOrDefault("WebConsole__Registry"));
        Assert.Equal(redisAddress, console.GetValueOrDefault("ConnectionStrings__redis"));

        var manifests = Environment(Deployment(objects, "manifestservice"));
        var grpcAddress = manifests.GetValueOrDefault("services__blobservice__grpc__0") ?? manifests.GetValueOrDefault("BlobService__GrpcAddress");
        Assert.Equal(ServiceAddress(objects, "blobservice", "grpc", "http"), grpcAddress);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Storage_and_auth_files_are_mounted_where_config_yml_says(string overlay)
    {
        var objects = Rendered.Overlay(overlay);
        var configuration = LoadConfig(objects).Configuration;
        var root = configuration.Storage.FileSystem!.RootDirectory;
        foreach (var name in new[] { "blobservice", "manifestservice" })
        {
            var (volume, _) = MountedVolume(Deployment(objects, name), root + "/x");
            if (overlay == "production")
            {
                // The s3 driver's variables override config.yml's storage, with the key from the Secret.
                var env = Environment(Deployment(objects, name));
                Assert.Equal("s3", env.GetValueOrDefault("REGISTRY_STORAGE"));
                Assert.False(string.IsNullOrEmpty(env.GetValueOrDefault("REGISTRY_STORAGE_S3_BUCKET")));
                Assert.Equal("<valueFrom>", env.GetValueOrDefault("REGISTRY_STORAGE_S3_SECRETKEY"));
                Assert.Null(Yaml.At(volume, "persistentVolumeClaim", "claimName"));
            }
            else
            {
                Assert.Equal("registry-data", Yaml.At(volume, "persistentVolumeClaim", "claimName"));
            }
        }

        // The gateway sends the blob files BlobService hands it, so on a volume it sees the storage, read-only.
        var gateway = Deployment(objects, "gateway");
        var (gatewayVolume, _) = MountedVolume(gateway, root + "/x");
        var gatewayMount = Assert.Single(Yaml.Maps(MainContainer(gateway).GetValueOrDefault("volumeMounts")), m => (string?)m["mountPath"] == root);
        Assert.Equal("true", gatewayMount.GetValueOrDefault("readOnly")?.ToString()?.ToLowerInvariant());
        Assert.Equal(overlay == "production" ? null : "registry-data", Yaml.At(gatewayVolume, "persistentVolumeClaim", "claimName"));
        if (overlay == "production")
        {
            // On object storage it reads the bucket with the services' settings and key.
            var env = Environment(gateway);
            Assert.Equal("s3", env.GetValueOrDefault("REGISTRY_STORAGE"));
            Assert.Equal("<valueFrom>", env.GetValueOrDefault("REGISTRY_STORAGE_S3_SECRETKEY"));
        }

        Assert.DoesNotContain(Deployment(objects, "notifierservice").Map("spec", "template", "spec").GetValueOrDefault("volumes") is List<object?> volumes ? volumes : [],
            v => Yaml.At(v, "persistentVolumeClaim", "claimName") as string == "registry-data");

        if (configuration.Auth.Htpasswd is { } htpasswd)
        {
            var (volume, key) = MountedVolume(Deployment(objects, "gateway"), htpasswd.Path);
            Assert.True(Yaml.At(volume, "secret", "secretName") is string, $"gateway: {htpasswd.Path} is not on a Secret volume");
            Assert.Equal("htpasswd", key);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Config_yml_loads_without_warnings(string overlay)
    {
        var result = LoadConfig(Rendered.Overlay(overlay));
        Assert.Empty(result.Warnings);
        var configuration = result.Configuration;
        Assert.Equal("0.1", configuration.Version);
        Assert.Equal(StorageConfiguration.FileSystemDriver, configuration.Storage.Driver);
        Assert.Equal("/var/lib/registry", configuration.Storage.FileSystem!.RootDirectory);
        Assert.True(configuration.Storage.DeleteEnabled);
        Assert.Equal(["redis:6379"], configuration.Redis!.Addrs);
        Assert.Null(configuration.Http.Tls); // TLS ends at the Ingress
        Assert.EndsWith(":8080", configuration.Http.Addr, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_runs_several_replicas_and_autoscales()
    {
        var objects = Rendered.Overlay("production");
        foreach (var name in ScaledServices)
        {
            Assert.True(Replicas(Deployment(objects, name)) >= 2, $"production {name} has fewer than 2 replicas");
            var hpa = Assert.Single(objects, o => o.Kind == "HorizontalPodAutoscaler" && o.Name == name);
            Assert.Equal(name, hpa.Text("spec", "scaleTargetRef", "name"));
            Assert.True(int.Parse(hpa.Text("spec", "minReplicas")!, CultureInfo.InvariantCulture) >= 2);
        }

        Assert.All(Deployments(objects), d => Assert.DoesNotContain(":latest", MainContainer(d)["image"] as string, StringComparison.Ordinal));
    }

    [Fact]
    public void Dev_runs_one_replica_without_autoscaling()
    {
        var objects = Rendered.Overlay("dev");
        Assert.All(Deployments(objects), d => Assert.Equal(1, Replicas(d)));
        Assert.DoesNotContain(objects, o => o.Kind == "HorizontalPodAutoscaler");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_console_reads_blobservice_status_and_the_network_policy_lets_it(string overlay)
    {
        var objects = Rendered.Overlay(overlay);
        var console = Environment(Deployment(objects, "webconsole"));
        Assert.Equal(ServiceAddress(objects, "blobservice", "http", "http"), console.GetValueOrDefault("WebConsole__Blobs"));

        var policy = Assert.Single(objects, o => o.Kind == "NetworkPolicy" && o.Name == "blobservice");
        Assert.Contains(policy.List("spec", "ingress"), rule =>
            Yaml.Maps(Yaml.At(rule, "from")).Any(peer => Yaml.At(peer, "podSelector", "matchLabels", "app.kubernetes.io/name") as string == "webconsole")
            && Yaml.Maps(Yaml.At(rule, "ports")).Any(port => port.GetValueOrDefault("port") as string == "http"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_gateway_is_reachable_from_outside_the_namespace(string overlay)
    {
        var policies = Rendered.Overlay(overlay).Where(o => o.Kind == "NetworkPolicy").ToList();
        Assert.Contains(policies, p => p.Map("spec", "podSelector").Count == 0 && p.List("spec", "ingress").Count == 0);
        foreach (var policy in policies)
        {
            var target = policy.Map("spec", "podSelector", "matchLabels").GetValueOrDefault("app.kubernetes.io/name") as string;
            foreach (var rule in policy.List("spec", "ingress"))
            {
                var from = Yaml.Maps(Yaml.At(rule, "from")).ToList();
                if (target != "gateway")
                {
                    // Every peer is a pod of this namespace: no namespaceSelector, no ipBlock.
                    Assert.NotEmpty(from);
                    Assert.All(from, peer => Assert.Equal(["podSelector"], peer.Keys));
                }
            }
        }

        Assert.Contains(policies, p => p.Name == "redis");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Ingress_terminates_tls_and_routes_to_the_gateway_service(string overlay)
    {
        var objects = Rendered.Overlay(overlay);
        var ingress = Assert.Single(objects, o => o.Kind == "Ingress");
        Assert.NotNull(Yaml.At(ingress.List("spec", "tls").FirstOrDefault(), "secretName"));
        var backend = Yaml.Map(Yaml.At(Yaml.Items(Yaml.At(ingress.List("spec", "rules").First(), "http", "paths")).First(), "backend", "service"));
        Assert.Equal("gateway", backend["name"]);
        var port = Yaml.Map(backend["port"]);
        var service = Assert.Single(objects, o => o.Kind == "Service" && o.Name == "gateway");
        Assert.Contains(Yaml.Maps(service.At("spec", "ports")), p => Equals(p.GetValueOrDefault("name"), port.GetValueOrDefault("name")) || Equals(p["port"], port.GetValueOrDefault("number")));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_secret_the_pods_use_is_documented_in_the_readme(string overlay)
    {
        var readme = File.ReadAllText(Path.Combine(Rendered.RepositoryRoot, "deploy", "README.md"));
        var objects = Rendered.Overlay(overlay);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in Workloads(objects))
        {
            var pod = workload.Map("spec", "template", "spec");
            names.UnionWith(Yaml.Maps(pod.GetValueOrDefault("volumes")).Select(v => Yaml.At(v, "secret", "secretName")).OfType<string>());
            names.UnionWith(Yaml.Maps(pod.GetValueOrDefault("imagePullSecrets")).Select(v => v.GetValueOrDefault("name")).OfType<string>());
            foreach (var container in Yaml.Maps(pod.GetValueOrDefault("containers")))
            {
                names.UnionWith(Yaml.Maps(container.GetValueOrDefault("env")).Select(e => Yaml.At(e, "valueFrom", "secretKeyRef", "name")).OfType<string>());
            }
        }

        names.UnionWith(objects.Where(o => o.Kind == "Ingress").SelectMany(o => Yaml.Maps(o.At("spec", "tls"))).Select(t => t.GetValueOrDefault("secretName")).OfType<string>());
        Assert.NotEmpty(names);
        foreach (var name in names.Where(n => !objects.Any(o => o.Kind == "Secret" && o.Name == n)))
        {
            Assert.Matches(new Regex(@"kubectl[^\n]*create secret \S+ " + Regex.Escape(name) + @"\b"), readme);
        }
    }
}

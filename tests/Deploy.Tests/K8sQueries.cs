using System.Globalization;
using RegistryCloud.Configuration;

namespace RegistryCloud.Deploy.Tests;

/// <summary>Queries over rendered Kubernetes objects that the wiring tests share.</summary>
internal static class K8sQueries
{
    internal static RegistryConfigurationLoadResult LoadConfig(IReadOnlyList<K8sObject> objects)
    {
        var configMap = Assert.Single(objects, o => o.Kind == "ConfigMap" && o.Name.StartsWith("registry-config", StringComparison.Ordinal));
        var yaml = configMap.Map("data").GetValueOrDefault("config.yml") as string;
        Assert.NotNull(yaml);
        return RegistryConfigurationLoader.Parse(yaml, new Dictionary<string, string?>());
    }

    internal static IEnumerable<K8sObject> Workloads(IEnumerable<K8sObject> objects) => objects.Where(o => o.PodTemplate is not null);

    internal static IEnumerable<K8sObject> Deployments(IEnumerable<K8sObject> objects) => objects.Where(o => o.Kind == "Deployment");

    internal static K8sObject Deployment(IEnumerable<K8sObject> objects, string name) =>
        Assert.Single(objects, o => o.Kind == "Deployment" && o.Name == name);

    internal static int Replicas(K8sObject workload) => int.Parse(workload.Text("spec", "replicas") ?? "1", CultureInfo.InvariantCulture);

    internal static Dictionary<string, object?> MainContainer(K8sObject workload) =>
        Assert.Single(Yaml.Maps(workload.At("spec", "template", "spec", "containers")), c => (string?)c["name"] == workload.Name);

    internal static string ImageName(Dictionary<string, object?> container)
    {
        var image = (string)container["image"]!;
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }

    internal static Dictionary<string, string?> Environment(K8sObject deployment)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in Yaml.Maps(MainContainer(deployment).GetValueOrDefault("env")))
        {
            var name = (string)variable["name"]!;
            Assert.False(env.ContainsKey(name), $"{deployment} sets {name} twice");
            env[name] = variable.GetValueOrDefault("value") as string ?? (variable.ContainsKey("valueFrom") ? "<valueFrom>" : null);
        }

        return env;
    }

    internal static Dictionary<string, object?> Volume(K8sObject workload, string name) =>
        Assert.Single(Yaml.Maps(workload.At("spec", "template", "spec", "volumes")), v => (string?)v["name"] == name);

    /// <summary>The volume a file path lies on in the main container, and the path inside that volume.</summary>
    internal static (Dictionary<string, object?> Volume, string SubPath) MountedVolume(K8sObject workload, string path)
    {
        var mount = Yaml.Maps(MainContainer(workload).GetValueOrDefault("volumeMounts"))
            .Where(m => path.StartsWith(((string)m["mountPath"]!).TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(m => ((string)m["mountPath"]!).Length);
        Assert.True(mount is not null, $"{workload}: nothing is mounted where {path} is");
        var relative = path[(((string)mount["mountPath"]!).TrimEnd('/').Length + 1)..];
        if (mount.GetValueOrDefault("subPath") is string subPath)
        {
            relative = subPath + "/" + relative;
        }

        return (Volume(workload, (string)mount["name"]!), relative);
    }

    /// <summary>A port of the pod's containers by name or number, as its number.</summary>
    internal static string? ResolvePort(K8sObject workload, string port) =>
        Yaml.Maps(workload.At("spec", "template", "spec", "containers"))
            .SelectMany(c => Yaml.Maps(c.GetValueOrDefault("ports")))
            .Where(p => (string?)p.GetValueOrDefault("name") == port || (string?)p["containerPort"] == port)
            .Select(p => (string?)p["containerPort"])
            .FirstOrDefault();

    /// <summary>How a client in the namespace reaches a Service's named port: [scheme://]name:port.</summary>
    internal static string ServiceAddress(IEnumerable<K8sObject> objects, string service, string portName, string? scheme)
    {
        var svc = Assert.Single(objects, o => o.Kind == "Service" && o.Name == service);
        var port = Assert.Single(Yaml.Maps(svc.At("spec", "ports")), p => (string?)p.GetValueOrDefault("name") == portName);
        var address = $"{service}:{port["port"]}";
        return scheme is null ? address : $"{scheme}://{address}";
    }

    internal static bool Matches(Dictionary<string, object?> selector, Dictionary<string, object?> labels) =>
        selector.All(pair => labels.TryGetValue(pair.Key, out var value) && Equals(value, pair.Value));

    internal static string Describe(Dictionary<string, object?> map) => string.Join(",", map.Select(p => $"{p.Key}={p.Value}"));
}

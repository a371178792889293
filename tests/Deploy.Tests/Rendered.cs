using System.Collections.Concurrent;
using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Deploy.Tests;

/// <summary>A Kubernetes object of the rendered output, as plain dictionaries, lists and strings.</summary>
internal sealed record K8sObject(string Kind, string Name, Dictionary<string, object?> Root)
{
    public object? At(params string[] path) => Yaml.At(Root, path);

    public string? Text(params string[] path) => At(path) as string;

    public Dictionary<string, object?> Map(params string[] path) => At(path) as Dictionary<string, object?> ?? [];

    public List<object?> List(params string[] path) => At(path) as List<object?> ?? [];

    /// <summary>The pod template of a Deployment or StatefulSet.</summary>
    public Dictionary<string, object?>? PodTemplate => Kind is "Deployment" or "StatefulSet" ? Map("spec", "template") : null;

    public override string ToString() => $"{Kind}/{Name}";
}

internal static class Yaml
{
    public static object? At(object? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is Dictionary<string, object?> map && map.TryGetValue(key, out var value) ? value : null;
        }

        return node;
    }

    public static List<object?> Items(object? node) => node as List<object?> ?? [];

    public static IEnumerable<Dictionary<string, object?>> Maps(object? node) => Items(node).OfType<Dictionary<string, object?>>();

    public static Dictionary<string, object?> Map(object? node) => node as Dictionary<string, object?> ?? [];

    public static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => Convert(pair.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };
}

/// <summary>Runs <c>kubectl kustomize</c> on an overlay (once per overlay per test run).</summary>
internal static class Rendered
{
    public const string Kubectl = "/usr/bin/kubectl";
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<K8sObject>>> Cache = new();

    public static string RepositoryRoot { get; } = FindRoot();

    public static IReadOnlyList<K8sObject> Overlay(string overlay) =>
        Cache.GetOrAdd(overlay, name => new Lazy<IReadOnlyList<K8sObject>>(() => Render(name))).Value;

    private static IReadOnlyList<K8sObject> Render(string overlay)
    {
        var kubectl = File.Exists(Kubectl) ? Kubectl : FindOnPath("kubectl")
            ?? throw new InvalidOperationException($"kubectl was not found at {Kubectl} or on PATH: these tests render the kustomize overlays with it (install kubectl).");
        var directory = Path.Combine(RepositoryRoot, "deploy", "kubernetes", "overlays", overlay);
        Assert.True(Directory.Exists(directory), $"overlay directory {directory} is missing");

        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish in 2 minutes");
        }

        Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} failed ({process.ExitCode}): {error.Result}");
        return Parse(output.Result);
    }

    public static IReadOnlyList<K8sObject> Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var objects = new List<K8sObject>();
        foreach (var document in stream.Documents)
        {
            if (Yaml.Convert(document.RootNode) is not Dictionary<string, object?> root)
            {
                continue;
            }

            var kind = Yaml.At(root, "kind") as string ?? throw new InvalidDataException("an object without kind");
            var name = Yaml.At(root, "metadata", "name") as string ?? throw new InvalidDataException($"a {kind} without metadata.name");
            objects.Add(new K8sObject(kind, name, root));
        }

        return objects;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RegistryCloud.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"RegistryCloud.sln was not found above {AppContext.BaseDirectory}");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}

using System.Text.RegularExpressions;
using static RegistryCloud.Deploy.Tests.K8sQueries;

namespace RegistryCloud.Deploy.Tests;

/// <summary>
/// The Kubernetes manifests and the sources agree: AppHost resource names are the Service names,
/// each project has a Dockerfile whose image runs it, and the Dockerfiles build as they should.
/// </summary>
public sealed partial class SourceAgreementTests
{
    [Fact]
    public void AppHost_resource_names_match_the_kubernetes_services()
    {
        var appHost = File.ReadAllText(Path.Combine(Rendered.RepositoryRoot, "AppHost", "AppHost.cs"));
        var redisResources = File.ReadAllText(Path.Combine(Rendered.RepositoryRoot, "AppHost", "Resources", "RedisResources.cs"));
        var projects = ProjectResource().Matches(appHost).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["project"].Value);
        var redis = RedisResourceName().Match(redisResources);
        Assert.True(redis.Success, "RedisResources.ResourceName not found");

        var appHostNames = projects.Keys.Append(redis.Groups["name"].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["blobservice", "gateway", "manifestservice", "notifierservice", "redis", "webconsole"], appHostNames);

        foreach (var overlay in new[] { "dev", "production", "production-filesystem" })
        {
            var objects = Rendered.Overlay(overlay);
            var serviceNames = objects.Where(o => o.Kind == "Service").Select(o => o.Name).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(appHostNames, serviceNames);
            foreach (var (name, project) in projects)
            {
                // The image runs the AppHost's project: RegistryCloud.<Project>.dll, built by deploy/docker/<Project>.Dockerfile.
                var dockerfile = Path.Combine(Rendered.RepositoryRoot, "deploy", "docker", project + ".Dockerfile");
                Assert.True(File.Exists(dockerfile), $"{dockerfile} is missing");
                Assert.Contains($"\"RegistryCloud.{project}.dll\"", File.ReadAllText(dockerfile), StringComparison.Ordinal);
                Assert.EndsWith("/" + name, ImageName(MainContainer(Deployment(objects, name))), StringComparison.Ordinal);
            }
        }

        // The endpoints the AppHost gives each project exist in Kubernetes under the same names.
        Assert.Matches(BlobServiceEndpoints(), appHost.ReplaceLineEndings("\n"));
        var k8s = Rendered.Overlay("production");
        Assert.NotNull(ResolvePort(Deployment(k8s, "blobservice"), "grpc"));
        Assert.Contains(Yaml.Maps(Assert.Single(k8s, o => o.Kind == "Service" && o.Name == "blobservice").At("spec", "ports")), p => (string?)p["name"] == "grpc");

        // The gateway answers on 5000 like registry:2, as the AppHost's default gateway port.
        Assert.Contains("?? \"5000\"", File.ReadAllText(Path.Combine(Rendered.RepositoryRoot, "AppHost", "AppHostSettings.cs")), StringComparison.Ordinal);
        Assert.Contains(Yaml.Maps(Assert.Single(k8s, o => o.Kind == "Service" && o.Name == "gateway").At("spec", "ports")), p => (string?)p["port"] == "5000");
    }

    [Fact]
    public void Dockerfiles_build_multi_stage_and_run_as_non_root()
    {
        foreach (var project in new[] { "Gateway", "BlobService", "ManifestService", "NotifierService", "WebConsole" })
        {
            var text = File.ReadAllText(Path.Combine(Rendered.RepositoryRoot, "deploy", "docker", project + ".Dockerfile"));
            var froms = Regex.Matches(text, @"^FROM\s+(?:--platform=\S+\s+)?(\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(2, froms.Count);
            Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", froms[0], StringComparison.Ordinal);
            Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", froms[1], StringComparison.Ordinal);
            var runtimeStage = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
            Assert.Contains("USER $APP_UID", runtimeStage, StringComparison.Ordinal);
            Assert.Contains("COPY --from=build", runtimeStage, StringComparison.Ordinal);
            Assert.DoesNotContain("RUN ", runtimeStage, StringComparison.Ordinal);
            Assert.Contains($"COPY {project}/{project}.csproj", text, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// <c>AddProject&lt;Projects.Gateway&gt;("gateway"</c>, or a replicated service:
    /// <c>ServiceReplicas.Add("blobservice", ... AddProject&lt;Projects.BlobService&gt;(name</c> (its first replica has the service's name).
    /// </summary>
    [GeneratedRegex(@"(?:ServiceReplicas\.Add\(""(?<name>[a-z0-9-]+)"",[^\n]*\n\s*builder\.)?AddProject<Projects\.(?<project>\w+)>\((?:""(?<name>[a-z0-9-]+)""|name,)")]
    private static partial Regex ProjectResource();

    [GeneratedRegex(@"ServiceReplicas\.Add\(""blobservice"",[^\n]*\n\s*builder\.AddProject<Projects\.BlobService>\(name, launchProfileName: null\)\n\s*\.WithServiceEndpoints\(grpc: true\)")]
    private static partial Regex BlobServiceEndpoints();

    [GeneratedRegex(@"ResourceName\s*=\s*""(?<name>[a-z0-9-]+)""")]
    private static partial Regex RedisResourceName();
}

using Aspire.Hosting;
using RegistryCloud.Tests.AppHostTesting;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// The registry the scenarios hurt: the real AppHost (Redis, the gateway, and two replicas each of
/// BlobService, ManifestService and NotifierService) on its own data directory, delivering its
/// events to a <see cref="WebhookReceiver"/> the scenarios make slow, failing or unreachable.
/// Shared by the whole <see cref="ResilienceCollection"/>, which also gathers its summary.
/// </summary>
public sealed class ResilienceAppFixture : IAsyncLifetime
{
    public const int Replicas = 2;
    public static readonly string[] ReplicatedServices = ["blobservice", "manifestservice", "notifierservice"];

    private DistributedApplication? _app;
    private string? _dataDirectory;
    private WebhookReceiver? _webhook;

    /// <summary>Every service resource: the gateway and each replica.</summary>
    public static IReadOnlyList<string> ServiceResources { get; } =
        ["gateway", .. ReplicatedServices.SelectMany(service => Enumerable.Range(0, Replicas).Select(i => RegistryAppHost.ReplicaName(service, i)))];

    /// <summary>A service's replicas' resource names.</summary>
    public static IReadOnlyList<string> ReplicasOf(string service) =>
        [.. Enumerable.Range(0, Replicas).Select(i => RegistryAppHost.ReplicaName(service, i))];

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The registry has not been started.");

    /// <summary>The gateway's root, <c>http://localhost:port/</c>.</summary>
    public Uri Gateway { get; private set; } = null!;

    /// <summary>The storage root the services share (Distribution's layout below it).</summary>
    public string StorageRoot => Path.Combine(_dataDirectory ?? throw new InvalidOperationException("Not started."), "storage");

    public WebhookReceiver Webhook => _webhook ?? throw new InvalidOperationException("Not started.");

    /// <summary>The services' processes, to kill and bring back.</summary>
    public ServiceProcesses Processes => new(App);

    /// <summary>One row per scenario, printed and written to a file when the collection ends.</summary>
    public ResilienceSummary Summary { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var port = LoopbackPorts.Free();
        _dataDirectory = Directory.CreateTempSubdirectory("registrycloud-resilience-").FullName;
        try
        {
            _webhook = await WebhookReceiver.StartAsync();
            _app = await RegistryAppHost.StartAsync(
                typeof(Projects.AppHost),
                [
                    $"--RegistryCloud:GatewayPort={port}",
                    $"--RegistryCloud:DataDirectory={_dataDirectory}",
                    $"--RegistryCloud:Replicas={Replicas}",
                    "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME=resilience",
                    $"--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL={_webhook.Url}",
                    "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_TIMEOUT=2s",
                    "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_THRESHOLD=3",
                    "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_BACKOFF=1s",
                ],
                ServiceResources,
                builder =>
                {
                    // The request log says which replica a running request landed on: the kill
                    // scenarios kill that one.
                    foreach (var service in builder.Resources.OfType<Aspire.Hosting.ApplicationModel.ProjectResource>().Where(r => r.Name.StartsWith("blobservice", StringComparison.Ordinal) || r.Name.StartsWith("manifestservice", StringComparison.Ordinal)))
                    {
                        builder.CreateResourceBuilder(service).WithEnvironment(ReplicaRequestLog.LogLevelVariable, "Information");
                    }
                },
                TestContext.Current.CancellationToken);
            Gateway = new Uri($"http://{RegistryAppHost.ResolveGatewayAddress(_app, port)}/");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }


    public async ValueTask DisposeAsync()
    {
        Summary.Publish();
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }

        if (_webhook is not null)
        {
            await _webhook.DisposeAsync();
            _webhook = null;
        }

        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

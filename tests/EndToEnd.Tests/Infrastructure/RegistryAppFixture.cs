using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using RegistryCloud.Tests.AppHostTesting;

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The registry under test, shared by the whole <see cref="RegistryCollection"/>: the real AppHost
/// (Redis and the four services) on a free gateway port with its own data directory, or, when
/// <c>REGISTRYCLOUD_E2E_REGISTRY=host:port</c> is set, a registry that is already running there.
/// Also owns the collection's one private Docker daemon, started on first use so that only the
/// tests that need Docker fail when it cannot start.
/// The AppHost runs every service behind the gateway at <see cref="Replicas"/> replicas (2 unless
/// <c>REGISTRYCLOUD_E2E_REPLICAS</c> says otherwise), so the whole suite exercises scale-out.
/// </summary>
public sealed class RegistryAppFixture : IAsyncLifetime
{
    public const string RegistryOverrideVariable = "REGISTRYCLOUD_E2E_REGISTRY";
    public const string ReplicasVariable = "REGISTRYCLOUD_E2E_REPLICAS";

    private static readonly string[] ReplicatedServices = ["blobservice", "manifestservice", "notifierservice"];

    private readonly Lazy<Task<DockerEngine>> _docker;
    private string[] _serviceResources = ["gateway", .. ReplicatedServices];
    private DistributedApplication? _app;
    private string? _dataDirectory;
    private string? _gatewayAddress;
    private HttpClient? _http;
    private WebhookReceiver? _webhook;
    private DistributionRegistry? _upstream;

    public RegistryAppFixture()
    {
        // The engine pulls Docker Hub's images through the registry (registry-mirrors), as a
        // site's engines do with a pull-through cache; nothing else pulls from Docker Hub.
        _docker = new(() => DockerEngine.StartAsync([GatewayAddress], CancellationToken.None, registryMirror: _upstream is null ? null : $"http://{GatewayAddress}"));
    }

    /// <summary>host:port of the registry, as docker and skopeo name it (<c>localhost:5123</c>).</summary>
    public string GatewayAddress => _gatewayAddress ?? throw new InvalidOperationException("The registry has not been started.");

    /// <summary>A client whose base address is the registry's root (<c>http://localhost:5123/</c>).</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("The registry has not been started.");

    /// <summary>The webhook endpoint the registry's notifications go to (only when the fixture started the AppHost).</summary>
    public WebhookReceiver Webhook => _webhook ?? throw new InvalidOperationException("No webhook receiver: the registry was not started by this fixture.");

    /// <summary>How many replicas of each service the AppHost runs (1 when the registry is external: unknown).</summary>
    public int Replicas { get; private set; } = 1;

    /// <summary>
    /// The storage root the services share (Distribution's layout below it), for tests that watch the
    /// disk; null for a registry this fixture did not start.
    /// </summary>
    public string? StorageRoot => _dataDirectory is null ? null : Path.Combine(_dataDirectory, "storage");

    /// <summary>The app this fixture started, or null when the registry is external.</summary>
    public DistributedApplication? App => _app;

    /// <summary>
    /// <c>http://127.0.0.1:port/</c> of the gateway's debug listener (<c>http.debug.addr</c>: merged
    /// <c>/metrics</c>, <c>/debug/health</c>); null for a registry this fixture did not start.
    /// </summary>
    public Uri? DebugAddress { get; private set; }

    /// <summary>
    /// <c>localhost:port</c> of the gateway's local HTTPS listener (<c>RegistryCloud:HttpsPort</c>),
    /// whose self-signed certificate is in <see cref="CertificateDirectory"/>; null for an external registry.
    /// </summary>
    public string? HttpsAddress { get; private set; }

    /// <summary>Where the gateway keeps its self-signed certificate (<c>gateway.crt</c>), as a <c>--cert-dir</c>.</summary>
    public string? CertificateDirectory { get; private set; }

    /// <summary>
    /// The <c>config.yml</c> the registry was started with (<c>--config</c>), which tests may edit
    /// to change what the running registry re-reads (read-only mode); null for an external registry.
    /// </summary>
    public string? ConfigurationPath { get; private set; }

    /// <summary>The configuration the fixture starts the registry with, read-only mode as given.</summary>
    public static string Configuration(bool readOnly) => $"""
        version: 0.1
        log:
          fields:
            service: registry
        storage:
          filesystem:
            rootdirectory: /var/lib/registry
          maintenance:
            readonly:
              enabled: {(readOnly ? "true" : "false")}
        """;

    /// <summary>
    /// The Distribution the registry's pull-through caches mirror: <c>e2e-mirror/*</c> and
    /// <c>library/*</c> (Docker Hub's official images, for an engine's registry-mirrors), both with
    /// the <c>library/</c> rule. Null for a registry this fixture did not start.
    /// </summary>
    public DistributionRegistry? Upstream => _upstream;

    /// <summary>The collection's Docker daemon; every caller gets the same one (or the same failure).</summary>
    public Task<DockerEngine> GetDockerAsync() => _docker.Value;

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(RegistryOverrideVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _gatewayAddress = external.Trim();
        }
        else
        {
            Replicas = ReadReplicas();
            _serviceResources = ["gateway", .. ReplicatedServices.SelectMany(service => Enumerable.Range(0, Replicas).Select(i => ReplicaName(service, i)))];
            var port = LoopbackPorts.Free();
            var debugPort = LoopbackPorts.Free();
            var httpsPort = LoopbackPorts.Free();
            HttpsAddress = $"localhost:{httpsPort}";
            DebugAddress = new Uri($"http://127.0.0.1:{debugPort}/");
            _dataDirectory = Directory.CreateTempSubdirectory("registrycloud-e2e-").FullName;
            ConfigurationPath = Path.Combine(_dataDirectory, "config.yml");
            CertificateDirectory = Path.Combine(_dataDirectory, "tls");
            File.WriteAllText(ConfigurationPath, Configuration(readOnly: false));
            try
            {
                _webhook = await WebhookReceiver.StartAsync();
                _upstream = await DistributionRegistry.StartAsync(Directory.CreateDirectory(Path.Combine(_dataDirectory, "upstream")).FullName);
                await StartAppHostAsync(port, debugPort, httpsPort, _dataDirectory, TestContext.Current.CancellationToken);
                _gatewayAddress = RegistryAppHost.ResolveGatewayAddress(_app!, port);
            }
            catch
            {
                // Stop whatever did start: a half-started app must not outlive the failed run.
                await DisposeAsync();
                throw;
            }
        }

        _http = new HttpClient
        {
            BaseAddress = new Uri($"http://{_gatewayAddress}/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        try
        {
            if (_docker.IsValueCreated && await Task.WhenAny(_docker.Value) is { IsCompletedSuccessfully: true } started)
            {
                await started.Result.DisposeAsync();
            }
        }
        finally
        {
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

            if (_upstream is not null)
            {
                await _upstream.DisposeAsync();
                _upstream = null;
            }

            if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }
    }

    private async Task StartAppHostAsync(int gatewayPort, int debugPort, int httpsPort, string dataDirectory, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            $"--RegistryCloud:GatewayPort={gatewayPort}",
            $"--RegistryCloud:DataDirectory={dataDirectory}",
            // The storage root the data directory gives overrides the file's rootdirectory.
            $"--config={ConfigurationPath}",
            $"--RegistryCloud:Replicas={Replicas}",
            $"--RegistryCloud:HttpsPort={httpsPort}",
            // One notification endpoint, as config.yml would name it, overridden Distribution's way.
            "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME=e2e",
            $"--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL={_webhook!.Url}",
            "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_TIMEOUT=2s",
            "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_THRESHOLD=3",
            "--REGISTRY_NOTIFICATIONS_ENDPOINTS_0_BACKOFF=1s",
            // The conformance suite's content-management tests delete tags, manifests and blobs.
            "--REGISTRY_STORAGE_DELETE_ENABLED=true",
            // Distribution's debug listener, as the seed's config.yml sets it (there on localhost:5001).
            $"--REGISTRY_HTTP_DEBUG_ADDR=127.0.0.1:{debugPort}",
            // The garbage collector runs all along, every two seconds on one of the two replicas,
            // so every test's pushes and pulls happen while it does. Its grace period outlasts any
            // test's blob-only pushes.
            "--REGISTRY_GC_ENABLED=true",
            "--REGISTRY_GC_INTERVAL=2s",
            "--REGISTRY_GC_DELAY=30s",
            // policies, for the real clients' tests of them (PoliciesTests).
            "--REGISTRY_POLICIES_QUOTAS_0_REPOSITORY=e2e-quota/*",
            "--REGISTRY_POLICIES_QUOTAS_0_BYTES=128KiB",
            "--REGISTRY_POLICIES_IMMUTABLETAGS_0_REPOSITORY=e2e-immutable/*",
            "--REGISTRY_POLICIES_IMMUTABLETAGS_0_TAGS=[\"v*\"]",
            // Pull-through caches of a local Distribution (PullThroughCacheTests).
            "--REGISTRY_PROXIES_0_PREFIX=e2e-mirror",
            $"--REGISTRY_PROXIES_0_REMOTEURL={_upstream!.Client.BaseAddress}",
            "--REGISTRY_PROXIES_0_LIBRARY=true",
            "--REGISTRY_PROXIES_1_PREFIX=library",
            $"--REGISTRY_PROXIES_1_REMOTEURL={_upstream.Client.BaseAddress}",
            "--REGISTRY_PROXIES_1_LIBRARY=true",
        ];
        _app = await RegistryAppHost.StartAsync(typeof(Projects.AppHost), arguments, _serviceResources, builder =>
        {
            // The services' request log (method, URL, status of every request), which the
            // scale-out tests read to see which replica served what. Turned on for the tests only.
            foreach (var service in builder.Resources.OfType<ProjectResource>().Where(r => r.Name.StartsWith("blobservice", StringComparison.Ordinal) || r.Name.StartsWith("manifestservice", StringComparison.Ordinal)))
            {
                builder.CreateResourceBuilder(service).WithEnvironment(ReplicaRequestLog.LogLevelVariable, "Information");
            }
        }, cancellationToken);
    }

    /// <summary>The AppHost's names for a service's replicas: <c>blobservice</c>, <c>blobservice-2</c>, ...</summary>
    public static string ReplicaName(string service, int index) => RegistryAppHost.ReplicaName(service, index);

    private static int ReadReplicas()
    {
        var text = Environment.GetEnvironmentVariable(ReplicasVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return 2;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var replicas) && replicas >= 1
            ? replicas
            : throw new InvalidOperationException($"{ReplicasVariable}: '{text}' is not a replica count (1 or more).");
    }
}

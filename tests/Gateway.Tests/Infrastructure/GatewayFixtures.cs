using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// A gateway in process in front of two echo backends, one per cluster, started once per test
/// class. Subclasses add settings (a configuration file, an htpasswd file) on top of the backends.
/// </summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    private EchoBackend? _blobs;
    private EchoBackend? _manifests;
    private GatewayFactory? _factory;
    private IReadOnlyList<Uri>? _addresses;

    internal EchoBackend Blobs => _blobs ?? throw new InvalidOperationException("not started");

    internal EchoBackend Manifests => _manifests ?? throw new InvalidOperationException("not started");

    internal GatewayFactory Factory => _factory ?? throw new InvalidOperationException("not started");

    /// <summary>Where a fixture <see cref="OnKestrel"/> listens, in the order the listeners were bound.</summary>
    internal IReadOnlyList<Uri> Addresses => _addresses ?? throw new InvalidOperationException("not started on Kestrel");

    internal LogCapture Logs { get; } = new();

    /// <summary>A directory for the files a fixture writes, deleted on dispose.</summary>
    internal TemporaryDirectory Files { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _blobs = await EchoBackend.StartAsync("blobs");
        _manifests = await EchoBackend.StartAsync("manifests", ManifestAnswers);
        var settings = GatewaySettings.ProxyTo(_blobs.Address, _manifests.Address);
        foreach (var (key, value) in Settings())
        {
            settings[key] = value;
        }

        _factory = new GatewayFactory(settings, Logs, ConfigureServices);
        if (OnKestrel)
        {
            _addresses = KestrelGateway.Start(_factory);
        }
        else
        {
            _ = _factory.Server;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_blobs is not null)
        {
            await _blobs.DisposeAsync();
        }

        if (_manifests is not null)
        {
            await _manifests.DisposeAsync();
        }

        Files.Dispose();
        GC.SuppressFinalize(this);
    }

    internal HttpClient CreateClient() => Factory.CreateRegistryClient();

    /// <summary>Writes <paramref name="yaml"/> as the fixture's <c>config.yml</c>; the setting that points the gateway at it.</summary>
    private protected KeyValuePair<string, string> ConfigurationFile(string yaml)
    {
        var path = Path.Combine(Files.Path, "config.yml");
        File.WriteAllText(path, yaml);
        return new(GatewaySettings.ConfigurationPath, path);
    }

    /// <summary>Both backends' logs: a request the gateway refused must appear in neither.</summary>
    internal bool AnyBackendSaw(string path) => Blobs.Saw(path) || Manifests.Saw(path);

    private protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    /// <summary>Registrations added after the gateway's own, as <see cref="GatewayFactory"/> takes them.</summary>
    private protected virtual Action<IServiceCollection>? ConfigureServices => null;

    /// <summary>True to run the gateway on real Kestrel, listening where its settings say, instead of the test server.</summary>
    private protected virtual bool OnKestrel => false;

    /// <summary>JSON the manifests backend answers for a request instead of its echo; null for the echo.</summary>
    private protected virtual Func<HttpContext, string?>? ManifestAnswers => null;
}

/// <summary>The gateway with Distribution's default configuration: no auth, no TLS.</summary>
public sealed class ProxiedGateway : GatewayFixture;

/// <summary>
/// The gateway with <c>auth.htpasswd</c>: alice has a bcrypt entry; bob's entry is <c>{SHA}</c>
/// and dave's is the password in plain text, both of which Apache's htpasswd accepts and
/// Distribution does not.
/// </summary>
public sealed class AuthenticatedGateway : GatewayFixture
{
    public const string Realm = "RegistryCloud test realm";
    public const string AlicePassword = "correct horse battery staple";

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        var path = Path.Combine(Files.Path, "htpasswd");
        File.WriteAllLines(path,
        [
            "# users of the test registry",
            Htpasswd.Bcrypt("alice", AlicePassword),
            Htpasswd.Sha1("bob", "bobs password"),
            "dave:daves password",
        ]);
        yield return new(GatewaySettings.HtpasswdRealm, Realm);
        yield return new(GatewaySettings.HtpasswdPath, path);
    }
}

/// <summary>
/// The gateway with a <c>config.yml</c> of its own naming <c>http.headers</c>, and one more header
/// from a <c>REGISTRY_HTTP_HEADERS_*</c> override, as Distribution reads both.
/// </summary>
public sealed class ConfiguredHeadersGateway : GatewayFixture
{
    public const string EnvironmentHeader = "X-From-Environment";

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return ConfigurationFile("""
            version: 0.1
            storage: inmemory
            http:
              addr: :5000
              headers:
                X-Frame-Options: [DENY]
                X-Registry-Note: [first, second]
            """);
        yield return new("REGISTRY_HTTP_HEADERS_" + EnvironmentHeader, "[from the environment]");
    }
}

/// <summary>The gateway with <c>storage.maintenance.readonly.enabled</c>, set Distribution's way.</summary>
public sealed class ReadOnlyGateway : GatewayFixture
{
    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true");
    }
}

/// <summary>
/// The gateway with <c>http.debug.addr</c>, as the seed's config.yml sets it, on real Kestrel: the
/// registry on 127.0.0.1 with a port the system picks, the debug listener on a port of its own.
/// </summary>
public sealed class DebugGateway : GatewayFixture
{
    public int DebugPort { get; } = LoopbackPorts.Free();

    internal Uri RegistryAddress => Addresses.Single(address => address.Port != DebugPort);

    internal Uri DebugAddress => Addresses.Single(address => address.Port == DebugPort);

    private protected override bool OnKestrel => true;

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("REGISTRY_HTTP_ADDR", "127.0.0.1:0");
        yield return new("REGISTRY_HTTP_DEBUG_ADDR", $"127.0.0.1:{DebugPort}");
    }
}

/// <summary>
/// <see cref="ProxiedGateway"/> on real Kestrel at 127.0.0.1 and a port the system picks, for
/// requests only a socket can send (a body that ends before its Content-Length).
/// </summary>
public sealed class KestrelProxiedGateway : GatewayFixture
{
    internal Uri Address => Addresses.Single();

    private protected override bool OnKestrel => true;

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("urls", "http://127.0.0.1:0");
    }
}

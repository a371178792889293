extern alias blobservice;
extern alias gateway;
extern alias manifestservice;

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.Configuration;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Fuzz.Tests.Infrastructure;

/// <summary>
/// The whole request path in process, each service on real Kestrel on loopback as in production:
/// the gateway (htpasswd, an ACL, YARP) in front of BlobService and ManifestService, which talk
/// gRPC over an HTTP/2 listener, all on one filesystem root with deletes enabled. Real sockets
/// let a request carry what no HttpClient would send (a Content-Length that lies, odd bytes).
/// </summary>
public sealed class RegistryChain : IAsyncLifetime
{
    /// <summary>May push to and delete from any repository but <c>kept/**</c>, which it may only pull.</summary>
    public const string User = "alice";
    public const string Password = "alice's fuzzing password";

    /// <summary>The only user who may push to <c>kept/**</c>: the data that must survive the barrage.</summary>
    public const string Keeper = "keeper";
    public const string KeeperPassword = "keeper's password";

    private readonly TemporaryDirectory _root = new();
    private readonly TemporaryDirectory _files = new();
    private ServiceHost<blobservice::Program>? _blobs;
    private ServiceHost<manifestservice::Program>? _manifests;
    private ServiceHost<gateway::Program>? _gateway;

    /// <summary>The errors the three services log (only those: the barrage makes thousands of warnings).</summary>
    public LogCapture Logs { get; } = new(LogLevel.Error);

    /// <summary>Where the gateway listens.</summary>
    public IPEndPoint Gateway { get; private set; } = new(IPAddress.Loopback, 0);

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>A client of the gateway as <paramref name="user"/>.</summary>
    public HttpClient CreateClient(string user = User, string password = Password)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://{Gateway}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = Basic(user, password);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        var storage = new Dictionary<string, string>
        {
            [RegistryStorageOptions.DriverKey] = "filesystem",
            [RegistryStorageOptions.RootDirectoryKey] = _root.Path,
            [RegistryStorageOptions.DeleteEnabledKey] = "true",
        };

        // BlobService: HTTP/1.1 for its API, an HTTP/2-only listener for gRPC (cleartext has no ALPN).
        _blobs = new(storage, Logs, kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var blobAddresses = _blobs.Start();

        _manifests = new(
            new Dictionary<string, string>(storage) { ["BlobService:GrpcAddress"] = blobAddresses[1].ToString() },
            Logs,
            kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        var manifestAddress = _manifests.Start()[0];

        _gateway = new(
            new Dictionary<string, string>
            {
                ["ReverseProxy:Clusters:blobs:Destinations:blobservice:Address"] = blobAddresses[0].ToString(),
                ["ReverseProxy:Clusters:manifests:Destinations:manifestservice:Address"] = manifestAddress.ToString(),
                ["REGISTRY_CONFIGURATION_PATH"] = WriteGatewayConfiguration(),
            },
            Logs,
            kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        var gatewayAddress = _gateway.Start()[0];
        Gateway = new IPEndPoint(IPAddress.Loopback, gatewayAddress.Port);
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_manifests is not null)
        {
            await _manifests.DisposeAsync();
        }

        if (_blobs is not null)
        {
            await _blobs.DisposeAsync();
        }

        _root.Dispose();
        _files.Dispose();
    }

    private string WriteGatewayConfiguration()
    {
        var users = Path.Combine(_files.Path, "users.htpasswd");
        File.WriteAllLines(users, [Bcrypt(User, Password), Bcrypt(Keeper, KeeperPassword)]);
        var path = Path.Combine(_files.Path, "config.yml");
        File.WriteAllText(path, $"""
            version: 0.1
            storage: inmemory
            auth:
              htpasswd:
                realm: fuzz
                path: {users}
            accesscontrol:
              rules:
                - user: {Keeper}
                  repository: "kept/**"
                  actions: [pull, push]
                - user: {User}
                  repository: "kept/**"
                  actions: [pull]
                - user: {User}
                  repository: "**"
                  actions: [pull, push, delete]
                - anonymous: true
                  repository: "public/*"
                  actions: [pull]
            """);
        return path;
    }

    /// <summary>A bcrypt entry at the lowest work factor: thousands of requests each check one.</summary>
    private static string Bcrypt(string user, string password) => $"{user}:{BCrypt.Net.BCrypt.HashPassword(password, workFactor: 4)}";

    /// <summary>One service on Kestrel with the given settings, its logs kept by <paramref name="logs"/> only.</summary>
    private sealed class ServiceHost<TEntryPoint>(
        IReadOnlyDictionary<string, string> settings, LogCapture logs, Action<KestrelServerOptions> listen) : WebApplicationFactory<TEntryPoint>
        where TEntryPoint : class
    {
        /// <summary>Starts the service; returns its addresses in the order they were bound.</summary>
        public IReadOnlyList<Uri> Start()
        {
            UseKestrel(listen);
            StartServer();
            return [.. Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(address => new Uri(address))];
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            // Thousands of refused requests would bury the test output; the capture keeps what matters.
            builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(logs));
        }
    }
}

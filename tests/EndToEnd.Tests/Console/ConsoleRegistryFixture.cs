using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting;
using RegistryCloud.Tests.AppHostTesting;

namespace RegistryCloud.EndToEnd.Tests.Console;

/// <summary>
/// The registry the console's browser tests drive: the real AppHost (gateway, services, Redis and
/// the web console) on plain HTTP like the README's local run, with htpasswd users and
/// <c>accesscontrol</c>: alice pulls, pushes and deletes <c>console/**</c>; bob only pulls it;
/// anyone pulls <c>console/public/**</c>, where alice still pushes. Deletes are enabled, so only the rules refuse them.
/// </summary>
public sealed class ConsoleRegistryFixture : IAsyncLifetime
{
    public const string Alice = "alice";
    public const string AlicePassword = "alice-Console-1";
    public const string Bob = "bob";
    public const string BobPassword = "bob-Console-2";

    private static readonly string[] Resources = ["gateway", "blobservice", "manifestservice", "notifierservice", "webconsole"];

    private DistributedApplication? _app;
    private string? _dataDirectory;
    private HttpClient? _http;

    /// <summary><c>localhost:port</c> of the gateway, as skopeo names it.</summary>
    public string Address { get; private set; } = "";

    /// <summary>The console's first page through the gateway: <c>http://localhost:port/console/</c>.</summary>
    public Uri ConsoleAddress => new($"http://{Address}/console/");

    /// <summary>A client of the gateway, based at its root, with no credentials.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("The registry has not been started.");

    public async ValueTask InitializeAsync()
    {
        _dataDirectory = Directory.CreateTempSubdirectory("registrycloud-e2e-console-").FullName;
        var htpasswd = Path.Combine(_dataDirectory, "htpasswd");
        File.WriteAllLines(htpasswd,
        [
            $"{Alice}:{BCrypt.Net.BCrypt.HashPassword(AlicePassword, workFactor: 5)}",
            $"{Bob}:{BCrypt.Net.BCrypt.HashPassword(BobPassword, workFactor: 5)}",
        ]);
        var config = Path.Combine(_dataDirectory, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: /var/lib/registry
              delete:
                enabled: true
            auth:
              htpasswd:
                realm: RegistryCloud console e2e
                path: {htpasswd}
            accesscontrol:
              rules:
                - user: {Alice}
                  repository: "console/**"
                  actions: [pull, push, delete]
                - user: {Bob}
                  repository: "console/**"
                  actions: [pull]
                - user: {Alice}
                  repository: "console/public/**"
                  actions: [pull, push, delete]
                - anonymous: true
                  repository: "console/public/**"
                  actions: [pull]
            """);
        var port = LoopbackPorts.Free();
        try
        {
            _app = await RegistryAppHost.StartAsync(
                typeof(Projects.AppHost),
                [$"--RegistryCloud:GatewayPort={port}", $"--RegistryCloud:DataDirectory={_dataDirectory}", $"--config={config}"],
                Resources,
                configure: null,
                TestContext.Current.CancellationToken);
            Address = RegistryAppHost.ResolveGatewayAddress(_app, port);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }

        _http = new HttpClient { BaseAddress = new Uri($"http://{Address}/"), Timeout = TimeSpan.FromMinutes(1) };
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary><c>--dest-creds</c> for skopeo pushing as alice.</summary>
    public static string AliceCredentials => $"{Alice}:{AlicePassword}";

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }

        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleRegistryFixture>
{
    public const string Name = "Console";
}

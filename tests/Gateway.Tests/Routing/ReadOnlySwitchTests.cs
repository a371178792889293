using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// Read-only mode follows <c>storage.maintenance.readonly.enabled</c> in config.yml while the
/// gateway runs: no restart, the file looked at no more than once a second, overrides still win.
/// </summary>
public sealed class ReadOnlySwitchTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _files = new();
    private readonly FakeTimeProvider _time = new();
    private readonly LogCapture _logs = new();
    private EchoBackend? _blobs;
    private EchoBackend? _manifests;
    private DateTime _written = DateTime.UtcNow;

    private string ConfigPath => Path.Combine(_files.Path, "config.yml");

    public async ValueTask InitializeAsync()
    {
        _blobs = await EchoBackend.StartAsync("blobs");
        _manifests = await EchoBackend.StartAsync("manifests");
    }

    [Fact]
    public async Task Writes_are_refused_and_allowed_again_as_the_file_changes_without_a_restart()
    {
        WriteConfig(readOnly: false);
        await using var gateway = Start();
        using var client = gateway.CreateRegistryClient();
        await AssertForwardedAsync(client);

        WriteConfig(readOnly: true);
        // Within a second of the last look the file is not read again.
        await AssertForwardedAsync(client);
        _time.Advance(TimeSpan.FromSeconds(1));
        await AssertRefusedAsync(client);
        Assert.Contains(_logs.Lines, line => line.Level == LogLevel.Warning && line.Message.StartsWith("Read-only mode switched on", StringComparison.Ordinal));

        WriteConfig(readOnly: false);
        _time.Advance(TimeSpan.FromSeconds(1));
        await AssertForwardedAsync(client);
        Assert.Contains(_logs.Lines, line => line.Message.StartsWith("Read-only mode switched off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_environment_override_still_wins_over_the_edited_file()
    {
        WriteConfig(readOnly: false);
        await using var gateway = Start(("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "false"));
        using var client = gateway.CreateRegistryClient();

        WriteConfig(readOnly: true);
        _time.Advance(TimeSpan.FromSeconds(1));

        await AssertForwardedAsync(client);
    }

    [Fact]
    public async Task A_file_that_no_longer_reads_keeps_the_last_mode_and_says_why()
    {
        WriteConfig(readOnly: true);
        await using var gateway = Start();
        using var client = gateway.CreateRegistryClient();
        await AssertRefusedAsync(client);

        Write("version: 0.1\nstorage:\n  maintenance:\n    readonly:\n      enabled: perhaps\n");
        _time.Advance(TimeSpan.FromSeconds(1));

        await AssertRefusedAsync(client);
        Assert.Contains(_logs.Lines, line => line.Message.Contains("cannot be read; read-only mode stays True", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_blobs is not null)
        {
            await _blobs.DisposeAsync();
        }

        if (_manifests is not null)
        {
            await _manifests.DisposeAsync();
        }

        _files.Dispose();
    }

    private GatewayFactory Start(params (string Key, string Value)[] extra)
    {
        var settings = GatewaySettings.ProxyTo(_blobs!.Address, _manifests!.Address);
        settings[GatewaySettings.ConfigurationPath] = ConfigPath;
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var factory = new GatewayFactory(settings, _logs, services => services.AddSingleton<TimeProvider>(_time));
        _ = factory.Server;
        return factory;
    }

    private void WriteConfig(bool readOnly) => Write($"""
        version: 0.1
        storage:
          inmemory: {"{}"}
          maintenance:
            readonly:
              enabled: {(readOnly ? "true" : "false")}
        http:
          addr: :5000
        """);

    // Each write gets a later modification time than the last, whatever the file system's resolution.
    private void Write(string yaml)
    {
        File.WriteAllText(ConfigPath, yaml);
        _written = _written.AddSeconds(2);
        File.SetLastWriteTimeUtc(ConfigPath, _written);
    }

    private async Task AssertForwardedAsync(HttpClient client)
    {
        var path = $"/v2/{TestContent.NewRepository()}/blobs/uploads/";
        using var response = await client.SendAsync(HttpMethod.Post, path);

        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.True(_blobs!.Saw(path));
    }

    private async Task AssertRefusedAsync(HttpClient client)
    {
        var path = $"/v2/{TestContent.NewRepository()}/blobs/uploads/";
        using var response = await client.SendAsync(HttpMethod.Post, path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.False(_blobs!.Saw(path) || _manifests!.Saw(path));
    }
}

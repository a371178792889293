using System.Net;
using System.Text.Json;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Debug;

/// <summary>
/// <c>/debug/health</c> reports the configured checks as Distribution does: a JSON object of the
/// failing ones, name to error, with 503 while any fails; <c>/health</c> follows the same checks.
/// </summary>
public sealed class DebugListenerHealthTests : IAsyncLifetime
{
    private readonly int _debugPort = LoopbackPorts.Free();
    private readonly TemporaryDirectory _files = new();
    private EchoBackend? _blobs;
    private EchoBackend? _manifests;
    private GatewayFactory? _gateway;
    private IReadOnlyList<Uri> _addresses = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string DownFile => Path.Combine(_files.Path, "down");

    public async ValueTask InitializeAsync()
    {
        _blobs = await EchoBackend.StartAsync("blobs");
        _manifests = await EchoBackend.StartAsync("manifests");
        var config = Path.Combine(_files.Path, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            storage: inmemory
            http:
              addr: 127.0.0.1:0
              debug:
                addr: 127.0.0.1:{_debugPort}
            health:
              file:
                - file: {DownFile}
                  interval: 50ms
            """, Token);
        await File.WriteAllTextAsync(DownFile, "out of rotation", Token);
        var settings = GatewaySettings.ProxyTo(_blobs.Address, _manifests.Address);
        settings[GatewaySettings.ConfigurationPath] = config;
        _gateway = new GatewayFactory(settings);
        _addresses = KestrelGateway.Start(_gateway);
    }

    [Fact]
    public async Task A_failing_check_is_named_with_its_error_until_it_passes()
    {
        using var debug = new HttpClient { BaseAddress = _addresses.Single(address => address.Port == _debugPort) };

        var failing = await debug.WaitForStatusAsync("/debug/health", HttpStatusCode.ServiceUnavailable);
        using (var body = JsonDocument.Parse(failing))
        {
            Assert.Equal($"file {DownFile} exists", body.RootElement.GetProperty(DownFile).GetString());
        }

        using var registry = new HttpClient { BaseAddress = _addresses.Single(address => address.Port != _debugPort) };
        await registry.WaitForStatusAsync("/health", HttpStatusCode.ServiceUnavailable);

        File.Delete(DownFile);
        Assert.Equal("{}", await debug.WaitForStatusAsync("/debug/health", HttpStatusCode.OK));
        await registry.WaitForStatusAsync("/health", HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

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
}

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Hosting.Health;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Hosting.Tests.Health;

/// <summary>The file, tcp, http and storage driver probes against real files, sockets and servers on 127.0.0.1.</summary>
public sealed class ProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_file_check_fails_while_the_file_exists_and_passes_once_it_is_gone()
    {
        using var directory = new TestDirectory();
        var path = Path.Combine(directory.Path, "out-of-rotation");
        var probe = new FileHealthProbe(path);

        Assert.Null(await probe.ProbeAsync(Token));

        await File.WriteAllTextAsync(path, "maintenance", Token);
        Assert.Contains(path, await probe.ProbeAsync(Token), StringComparison.Ordinal);

        File.Delete(path);
        Assert.Null(await probe.ProbeAsync(Token));
    }

    [Fact]
    public async Task The_tcp_check_passes_against_a_listening_port_and_fails_against_a_closed_one()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.Null(await new TcpHealthProbe("127.0.0.1", open, Timeout, TimeProvider.System).ProbeAsync(Token));

        listener.Stop();
        var failure = await new TcpHealthProbe("127.0.0.1", open, Timeout, TimeProvider.System).ProbeAsync(Token);
        Assert.NotNull(failure);
        Assert.Contains($"127.0.0.1:{open}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_http_check_sends_HEAD_with_the_configured_headers_and_wants_the_configured_status()
    {
        await using var server = await StartServerAsync();
        using var client = new HttpClient();
        Dictionary<string, IReadOnlyList<string>> headers = new() { ["X-Probe"] = ["expected"] };

        Assert.Null(await Probe(server, "/status/204", headers, 204).ProbeAsync(Token));
        Assert.Contains("answered 200, expected 204", await Probe(server, "/status/200", headers, 204).ProbeAsync(Token), StringComparison.Ordinal);
        // Without the header the server answers 401, not the 204 the check wants.
        Assert.Contains("answered 401", await Probe(server, "/status/204", new Dictionary<string, IReadOnlyList<string>>(), 204).ProbeAsync(Token), StringComparison.Ordinal);

        HttpHealthProbe Probe(WebApplication app, string path, IReadOnlyDictionary<string, IReadOnlyList<string>> sent, int status) =>
            new(client, new Uri(Address(app), path), sent, status, Timeout, TimeProvider.System);
    }

    [Fact]
    public async Task The_http_check_fails_when_the_server_does_not_answer_within_the_timeout()
    {
        await using var server = await StartServerAsync();
        using var client = new HttpClient();
        var probe = new HttpHealthProbe(client, new Uri(Address(server), "/slow"), new Dictionary<string, IReadOnlyList<string>>(), 200, TimeSpan.FromMilliseconds(200), TimeProvider.System);

        Assert.Contains("did not answer within", await probe.ProbeAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_http_check_fails_when_nothing_listens()
    {
        var port = LoopbackPorts.Free();
        using var client = new HttpClient();
        var probe = new HttpHealthProbe(client, new Uri($"http://127.0.0.1:{port}/"), new Dictionary<string, IReadOnlyList<string>>(), 200, Timeout, TimeProvider.System);

        Assert.Contains("failed", await probe.ProbeAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_storage_check_fails_while_the_root_is_not_a_directory_and_leaves_nothing_behind()
    {
        using var directory = new TestDirectory();
        var root = Path.Combine(directory.Path, "root");
        var probe = new StorageDriverHealthProbe(new FileSystemStorageDriver(root));

        Assert.Null(await probe.ProbeAsync(Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));

        // Tests run as root, where chmod cannot make a directory unwritable; a file in its place can.
        Directory.Delete(root);
        await File.WriteAllTextAsync(root, "not a directory", Token);
        Assert.Contains("cannot write its root", await probe.ProbeAsync(Token), StringComparison.Ordinal);

        File.Delete(root);
        Directory.CreateDirectory(root);
        Assert.Null(await probe.ProbeAsync(Token));
    }

    [Fact]
    public async Task The_storage_check_passes_on_the_in_memory_driver_and_leaves_nothing_behind()
    {
        var driver = new InMemoryStorageDriver();

        Assert.Null(await new StorageDriverHealthProbe(driver).ProbeAsync(Token));
        Assert.Null(await driver.StatAsync(StorageDriverHealthProbe.ProbePath, Token));
    }

    private static Uri Address(WebApplication app) => new(LoopbackApp.AddressOf(app));

    /// <summary>
    /// Answers HEAD and GET /status/{code} with that code when <c>X-Probe: expected</c> came, 401
    /// otherwise, and 405 to any other method; <c>/slow</c> never answers in time.
    /// </summary>
    private static async Task<WebApplication> StartServerAsync()
    {
        var (app, _) = await LoopbackApp.StartAsync(app =>
        {
            app.MapMethods("/status/{code:int}", [HttpMethods.Head], (int code, HttpRequest request) =>
                Results.StatusCode(request.Headers["X-Probe"] == "expected" ? code : 401));
            app.MapMethods("/slow", [HttpMethods.Head], async (CancellationToken aborted) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), aborted);
                return Results.Ok();
            });
        });
        return app;
    }
}

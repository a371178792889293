using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Startup;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>
/// A gateway port another program holds (a <c>registry:2</c> from the tutorial, say) is one line
/// naming the port and the setting that moves it, and the AppHost exits at once with code 1.
/// </summary>
public sealed class PortCheckTests
{
    [Fact]
    public void A_gateway_port_in_use_is_named_with_the_setting_that_moves_it()
    {
        using var listener = Listen(IPAddress.Loopback);

        var taken = PortCheck.FindTaken(Settings(listener.Port));

        Assert.Equal(
            $"port {listener.Port} is already in use by another program (a registry:2 container from the tutorial?); " +
            "stop it, or choose another port with --RegistryCloud:GatewayPort=<port>",
            taken);
    }

    [Fact]
    public void A_port_held_on_every_interface_is_in_use_on_localhost_too()
    {
        using var listener = Listen(IPAddress.Any);

        Assert.NotNull(PortCheck.FindTaken(Settings(listener.Port)));
    }

    [Fact]
    public void A_gateway_port_from_http_addr_names_http_addr_and_the_file()
    {
        using var listener = Listen(IPAddress.Loopback);
        using var directory = new TemporaryDirectory();
        var config = Path.Combine(directory.Path, "config.yml");
        File.WriteAllText(config, $"version: 0.1\nstorage: inmemory\nhttp:\n  addr: :{listener.Port}\n");

        var taken = PortCheck.FindTaken(AppHostSettings.Read(Configuration(("config", config)), directory.Path));

        Assert.Equal(
            $"port {listener.Port} (http.addr in {config}) is already in use by another program; " +
            "stop it, or choose another port in http.addr or with --RegistryCloud:GatewayPort=<port>",
            taken);
    }

    [Fact]
    public void An_https_port_in_use_names_its_setting()
    {
        using var listener = Listen(IPAddress.Loopback);
        var settings = Settings(FreePort()) with { HttpsPort = listener.Port };

        Assert.Equal(
            $"port {listener.Port} (RegistryCloud:HttpsPort) is already in use by another program; " +
            "stop it, or choose another port with --RegistryCloud:HttpsPort=<port>",
            PortCheck.FindTaken(settings));
    }

    [Fact]
    public async Task A_port_whose_last_connection_is_still_closing_is_free_as_it_is_for_the_gateway()
    {
        // A registry that just stopped leaves its side of a connection in TIME_WAIT on its port.
        int port;
        using (var held = Listen(IPAddress.Loopback))
        {
            port = held.Port;
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            using var accepted = await held.Listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
            accepted.Close();
        }

        Assert.Null(PortCheck.FindTaken(Settings(port)));
    }

    [Fact]
    public void Free_ports_pass()
    {
        Assert.Null(PortCheck.FindTaken(Settings(FreePort()) with { HttpsPort = FreePort() }));
    }

    [Fact]
    public async Task The_AppHost_with_its_gateway_port_taken_prints_one_error_line_and_exits_1_before_starting_anything()
    {
        using var listener = Listen(IPAddress.Loopback);
        using var data = new TemporaryDirectory();
        var appHost = AppHostAssembly();

        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [appHost, "--RegistryCloud:Dashboard=false", $"--RegistryCloud:GatewayPort={listener.Port}", $"--RegistryCloud:DataDirectory={data.Path}"],
            TimeSpan.FromSeconds(60),
            environment: null,
            TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        var error = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: port {listener.Port} is already in use", error, StringComparison.Ordinal);
        Assert.Contains("--RegistryCloud:GatewayPort=", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Distributed application starting", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data.Path, "redis")), "Redis was started");
    }

    /// <summary>
    /// The AppHost as built in its own project (bin/&lt;configuration&gt;/&lt;framework&gt; as this test's),
    /// where its dependencies are the ones it was built with.
    /// </summary>
    private static string AppHostAssembly()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "RegistryCloud.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var output = Path.GetRelativePath(Path.Combine(root.FullName, "tests", "EndToEnd.Tests"), AppContext.BaseDirectory);
        var path = Path.Combine(root.FullName, "AppHost", output, "RegistryCloud.AppHost.dll");
        Assert.True(File.Exists(path), $"{path} does not exist: build the AppHost");
        return path;
    }

    private static AppHostSettings Settings(int gatewayPort) =>
        new(gatewayPort, Path.GetTempPath(), RedisMode.None, "redis-server");

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();

    private static HeldPort Listen(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        return new HeldPort(listener);
    }

    private static int FreePort()
    {
        using var held = Listen(IPAddress.Loopback);
        return held.Port;
    }

    /// <summary>A port a listener holds until disposed, as another program would.</summary>
    private sealed class HeldPort(TcpListener listener) : IDisposable
    {
        public TcpListener Listener => listener;

        public int Port { get; } = ((IPEndPoint)listener.LocalEndpoint).Port;

        public void Dispose() => listener.Stop();
    }
}

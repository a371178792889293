using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, for the notifier's and the blob descriptor
/// cache's tests. Shared ones run without persistence (each test keeps to its own keys, e.g.
/// <see cref="NewStream"/>); a test that takes Redis down starts its own with an append-only
/// file, so it comes back with its data. <see cref="RedisServerOptions"/> make one that asks for
/// a password, knows an ACL user, or serves TLS only, as a managed Redis does.
/// </summary>
public sealed partial class RedisServer : IAsyncLifetime
{
    // Linux's numbers (x86-64 and arm64 alike).
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly string? _directory;
    private readonly RedisServerOptions _options;
    private Process? _process;

    public RedisServer()
        : this(null, new RedisServerOptions())
    {
    }

    private RedisServer(string? directory, RedisServerOptions options) => (_directory, _options) = (directory, options);

    public int Port { get; private set; }

    /// <summary>The address; for a server with a password or TLS, only where it is (see <see cref="AdminOptions"/>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public IDatabase Database => Connection.GetDatabase();

    /// <summary>A stream key no other test uses, with a hash tag as the default key has.</summary>
    public static string NewStream() => $"test:{{{Guid.NewGuid():N}}}";

    /// <summary>A server of the test's own that keeps its data in <paramref name="directory"/> across a restart.</summary>
    public static async Task<RedisServer> StartPersistentAsync(string directory)
    {
        var server = new RedisServer(directory, new RedisServerOptions());
        await server.InitializeAsync();
        return server;
    }

    /// <summary>A server of the test's own with a password, an ACL user or TLS as <paramref name="options"/> say.</summary>
    public static async Task<RedisServer> StartAsync(RedisServerOptions options)
    {
        var server = new RedisServer(null, options);
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        Port = LoopbackPorts.Free();
        await StartProcessAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(AdminOptions());
        if (_options.Sentinel is null)
        {
            await Connection.GetDatabase().PingAsync();
        }
    }

    /// <summary>
    /// Options that reach this server as its administrator would: the default user's password, TLS
    /// with the client certificate when there is one, and any server certificate accepted.
    /// </summary>
    public ConfigurationOptions AdminOptions()
    {
        var options = ConfigurationOptions.Parse($"{ConnectionString},abortConnect=false,connectTimeout=1000");
        options.Password = _options.Password;
        if (_options.Tls is { } tls)
        {
            options.Ssl = true;
            options.CertificateValidation += (_, _, _, _) => true;
            if (tls.AdminCertificate is { } certificate)
            {
                options.CertificateSelection += (_, _, _, _, _) => certificate;
            }
        }

        return options;
    }

    /// <summary>Shuts the server down (saving its data when it has a directory) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        try
        {
            await Connection.GetServer(ConnectionString).ExecuteAsync("SHUTDOWN");
        }
        catch (RedisException)
        {
            // The connection closes as the server goes.
        }

        await _process!.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port, and waits for <see cref="Connection"/> to be back on it.</summary>
    public async Task RestartAsync()
    {
        await StartProcessAsync();
        await WaitForConnectionAsync();
    }

    /// <summary>
    /// Freezes the server (SIGSTOP): its connections stay open and the kernel still accepts new
    /// ones, but nothing is answered, the worst case for a client (a hung or swapped-out Redis).
    /// </summary>
    public void Pause() => Signal(SigStop);

    /// <summary>
    /// Lets a paused server go on (SIGCONT), which answers what it was sent meanwhile, and waits for
    /// <see cref="Connection"/> to be back on it (the client may have given it up during the pause).
    /// </summary>
    public async Task ResumeAsync()
    {
        Signal(SigCont);
        await WaitForConnectionAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            Signal(SigCont);
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task StartProcessAsync()
    {
        var executable = Find("redis-server")
            ?? throw new InvalidOperationException(
                "redis-server is not installed: these tests need a real Redis (apt-get install -y redis-server).");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments = _options.Sentinel is { } sentinel
            ? [sentinel.ConfigFile, "--sentinel", "--bind", "127.0.0.1"]
            : _directory is null
            ? ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            : ["--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _directory];
        foreach (var argument in arguments.Concat(_options.Arguments(Port)))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await AnswersAsync())
        {
            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server did not answer on port {Port}");
            }

            await Task.Delay(20);
        }
    }

    // Any answer to PING will do: a server with a password answers -NOAUTH, and that is up too.
    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            Stream stream = client.GetStream();
            if (_options.Tls is { } tls)
            {
                var secure = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ClientCertificates = tls.AdminCertificate is { } certificate ? [certificate] : null,
                });
                stream = secure;
            }

            await using (stream)
            {
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                return read > 0 && buffer[0] is (byte)'+' or (byte)'-';
            }
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    private Task WaitForConnectionAsync() =>
        Poll.UntilAsync(() => Connection.IsConnected, $"the test's connection did not come back to redis-server on port {Port}", TimeSpan.FromSeconds(20));

    private void Signal(int signal)
    {
        if (_process is not { HasExited: false } process || Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"redis-server could not be sent signal {signal}: {(_process is null ? "not running" : Marshal.GetLastPInvokeErrorMessage())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static string? Find(string name)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/local/bin").Append("/usr/sbin");
        return directories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }
}

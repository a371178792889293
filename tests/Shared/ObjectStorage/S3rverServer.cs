using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using RegistryCloud.Storage.S3;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// A real S3 server (s3rver, from tests/servers' pinned npm packages, started by
/// tests/servers/s3rver.js) on a free loopback port, one per test collection, with one bucket;
/// each driver a test makes gets a root directory of its own, so tests share the server and never
/// each other's objects.
/// </summary>
public class S3rverServer : IAsyncLifetime
{
    /// <summary>s3rver's fixed test credentials, access key and secret alike (not secrets: the server accepts only these).</summary>
    public const string TestKey = "S3RVER";

    public const string Bucket = "registry";

    private readonly TemporaryDirectory _data = new();
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>
    /// Whether the server has what AWS S3 has and s3rver 3.7.1 lacks, which tests/servers/s3rver.js
    /// adds on request: If-None-Match / If-Match on PutObject and DeleteObject, UploadPartCopy, and
    /// the listing and abort of pending multipart uploads (which Distribution's s3 driver needs).
    /// </summary>
    public virtual bool AwsFeatures => false;

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Options for a driver on this server under a fresh root directory.</summary>
    public S3StorageOptions NewOptions(int chunkSize = S3StorageOptions.MinimumChunkSize, string? rootDirectory = null) => new()
    {
        Bucket = Bucket,
        RegionEndpoint = Endpoint,
        ForcePathStyle = true,
        Secure = false,
        AccessKey = TestKey,
        SecretKey = TestKey,
        // s3rver predates the SDK's flexible checksums.
        ChecksumsWhenRequired = true,
        ChunkSize = chunkSize,
        RootDirectory = rootDirectory ?? "/tests/" + Guid.NewGuid().ToString("N"),
        LockLease = TimeSpan.FromSeconds(30),
    };

    public S3StorageDriver NewDriver(S3StorageOptions? options = null, TimeProvider? time = null) =>
        new(options ?? NewOptions(), logger: null, time);

    public async ValueTask InitializeAsync()
    {
        Port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // s3rver signs its list continuation tokens with DES, which Node's OpenSSL 3 keeps in the
        // legacy provider: without it every truncated listing fails with a 500.
        foreach (var argument in new[] { "--openssl-legacy-provider", FindLauncher(), _data.Path, Port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (AwsFeatures)
        {
            start.ArgumentList.Add("--conditional-writes");
            start.ArgumentList.Add("--upload-part-copy");
            start.ArgumentList.Add("--multipart-listing");
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("s3rver did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = S3ClientFactory.Create(NewOptions());
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await client.PutBucketAsync(Bucket);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or AmazonServiceException && DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _data.Dispose();
    }

    private static string FindLauncher()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var servers = Path.Combine(directory.FullName, "tests", "servers");
            if (File.Exists(Path.Combine(servers, "node_modules", ".bin", "s3rver")))
            {
                return Path.Combine(servers, "s3rver.js");
            }
        }

        throw new InvalidOperationException("s3rver is not installed: run npm ci --prefix tests/servers (test.sh and .ci/run do).");
    }
}

/// <summary>s3rver with AWS's conditional writes, UploadPartCopy and multipart listing added (see tests/servers/s3rver.js).</summary>
public sealed class S3rverWithAwsFeatures : S3rverServer
{
    public override bool AwsFeatures => true;
}

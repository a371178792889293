using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using RegistryCloud.Storage.S3;

namespace RegistryCloud.Tests.Shared;

/// <summary>A <c>docker-registry serve</c> process on a free loopback port over a given root.</summary>
public sealed class DistributionRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly Process _process;
    private readonly string _configPath;

    private DistributionRegistry(Process process, string configPath, int port)
    {
        _process = process;
        _configPath = configPath;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public HttpClient Client { get; }

    /// <summary>Distribution on a filesystem root.</summary>
    public static Task<DistributionRegistry> StartAsync(string root) => StartWithStorageAsync($"""
          filesystem:
            rootdirectory: {root}
        """);

    /// <summary>
    /// Distribution on a filesystem root behind <c>auth.htpasswd</c> with one user (a bcrypt line
    /// of <paramref name="htpasswdLine"/>); <see cref="Client"/> sends <paramref name="basic"/>.
    /// </summary>
    public static async Task<DistributionRegistry> StartWithHtpasswdAsync(string root, string htpasswdLine, AuthenticationHeaderValue basic)
    {
        var htpasswd = Path.Combine(root, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, htpasswdLine + "\n", Token);
        var registry = await StartWithStorageAsync($"""
              filesystem:
                rootdirectory: {root}
            """, $"""
            auth:
              htpasswd:
                realm: upstream
                path: {htpasswd}
            """);
        registry.Client.DefaultRequestHeaders.Authorization = basic;
        return registry;
    }

    /// <summary>
    /// Distribution's s3 driver on <paramref name="server"/>'s bucket under
    /// <paramref name="rootDirectory"/>, writing parts of <paramref name="chunkSize"/> bytes (S3's
    /// smallest by default, so a few MiB make a multipart object). The server must have the
    /// multipart listing the driver resumes upload sessions with (<see cref="S3rverServer.AwsFeatures"/>).
    /// </summary>
    public static Task<DistributionRegistry> StartOnS3Async(S3rverServer server, string rootDirectory, int chunkSize = S3StorageOptions.MinimumChunkSize)
    {
        Assert.True(server.AwsFeatures, "Distribution's s3 driver lists pending multipart uploads, which plain s3rver cannot: use S3rverWithAwsFeatures.");
        return StartWithStorageAsync($"""
              s3:
                region: us-east-1
                regionendpoint: {server.Endpoint}
                forcepathstyle: true
                bucket: {S3rverServer.Bucket}
                accesskey: {S3rverServer.TestKey}
                secretkey: {S3rverServer.TestKey}
                secure: false
                v4auth: true
                chunksize: {chunkSize}
                rootdirectory: {rootDirectory}
            """);
    }

    /// <summary>Distribution with <paramref name="storage"/> (the driver's lines of <c>storage:</c>, indented two spaces).</summary>
    private static async Task<DistributionRegistry> StartWithStorageAsync(string storage, string auth = "")
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: apt-get install -y docker-registry (test.sh does).");
        var port = LoopbackPorts.Free();
        var configPath = Path.Combine(Path.GetTempPath(), $"distribution-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(configPath, $"""
            version: 0.1
            log:
              level: warn
            storage:
            {storage}
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """, Token);
        var start = new ProcessStartInfo(Binary, ["serve", configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The AWS SDK for Go that Distribution's s3 driver uses panics at start when AWS_CA_BUNDLE
        // is set (it cannot add a bundle to the driver's own transport); machines that set it for
        // every program must not pass it on. Distribution's S3 server here is plain HTTP anyway.
        start.Environment.Remove("AWS_CA_BUNDLE");
        var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var distribution = new DistributionRegistry(process, configPath, port);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = await distribution.Client.GetAsync("/v2/", Token);
                if (probe.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return distribution;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.False(process.HasExited, $"docker-registry exited with code {(process.HasExited ? process.ExitCode : 0)}");
            await Task.Delay(100, Token);
        }

        await distribution.DisposeAsync();
        throw new InvalidOperationException("docker-registry did not answer /v2/ within 10 s");
    }

    /// <summary>Stops the process (a test of an upstream outage); the root stays.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async Task PushBlobAsync(string repository, byte[] content)
    {
        using var start = await Client.PostAsync($"/v2/{repository}/blobs/uploads/", null, Token);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await Client.PutAsync($"{location}{separator}digest={TestContent.DigestOf(content)}", body, Token);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync();

        _process.Dispose();
        File.Delete(_configPath);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

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

    public static async Task<DistributionRegistry> StartAsync(string root)
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: apt-get install -y docker-registry (test.sh does).");
        var port = LoopbackPorts.Free();
        var configPath = Path.Combine(Path.GetTempPath(), $"distribution-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(configPath, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {root}
            http:
              addr: 127.0.0.1:{port}
            """, Token);
        var process = Process.Start(new ProcessStartInfo(Binary, ["serve", configPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("docker-registry did not start");
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
                if (probe.StatusCode == HttpStatusCode.OK)
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        File.Delete(_configPath);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RegistryCloud.ManifestService.Tests.Infrastructure;

namespace RegistryCloud.ManifestService.Tests.Compatibility;

/// <summary>
/// A storage root written by Distribution 2.8 (the Debian <c>docker-registry</c> package) is
/// served as it is: the layout is Distribution's own, so users keep every image when they move.
/// </summary>
public sealed class DistributionRootTests
{
    private const string DistributionBinary = "/usr/bin/docker-registry";
    private const string ManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_image_pushed_to_Distribution_2_8_is_served_from_its_root()
    {
        Assert.True(File.Exists(DistributionBinary), $"{DistributionBinary} is missing: apt-get install -y docker-registry (test.sh does).");
        await using var services = new RegistryServices();
        var layer = RandomNumberGenerator.GetBytes(70_000);
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestMediaType}}","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{config.Length}},"digest":"{{DigestOf(config)}}"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{layer.Length}},"digest":"{{DigestOf(layer)}}"}]}""");

        // Distribution writes the root, then stops: RegistryCloud finds only its files.
        await using (var distribution = await Distribution.StartAsync(services.RootDirectory))
        {
            await distribution.PushBlobAsync("dist/app", config);
            await distribution.PushBlobAsync("dist/app", layer);
            using var put = new ByteArrayContent(manifest);
            put.Headers.ContentType = new MediaTypeHeaderValue(ManifestMediaType);
            using var pushed = await distribution.Client.PutAsync("/v2/dist/app/manifests/v1", put, Token);
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        using var tags = await services.Manifests.GetAsync("/v2/dist/app/tags/list", Token);
        Assert.Equal("""{"name":"dist/app","tags":["v1"]}""", await tags.Content.ReadAsStringAsync(Token));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/dist/app/manifests/v1");
        request.Headers.Accept.ParseAdd(ManifestMediaType);
        using var served = await services.Manifests.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(manifest, await served.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(ManifestMediaType, served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DigestOf(manifest), served.Headers.GetValues("Docker-Content-Digest").Single());

        foreach (var blob in new[] { config, layer })
        {
            Assert.Equal(blob, await services.Blobs.GetByteArrayAsync($"/v2/dist/app/blobs/{DigestOf(blob)}", Token));
        }
    }

    private static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A <c>docker-registry serve</c> process on a free loopback port over a given root.</summary>
    private sealed class Distribution : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _configPath;

        private Distribution(Process process, string configPath, int port)
        {
            _process = process;
            _configPath = configPath;
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }

        public HttpClient Client { get; }

        public static async Task<Distribution> StartAsync(string root)
        {
            var port = FreePort();
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
            var process = Process.Start(new ProcessStartInfo(DistributionBinary, ["serve", configPath])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("docker-registry did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var distribution = new Distribution(process, configPath, port);
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
            using var done = await Client.PutAsync($"{location}{separator}digest={DigestOf(content)}", body, Token);
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

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

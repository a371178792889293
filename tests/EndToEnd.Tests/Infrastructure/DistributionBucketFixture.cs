using System.Globalization;
using Aspire.Hosting;
using RegistryCloud.EndToEnd.Tests.Images;

using RegistryCloud.Tests.AppHostTesting;

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One S3 bucket (s3rver) written first by Distribution 2.8's s3 driver, then served by
/// RegistryCloud — the real AppHost, whose <c>config.yml</c> names the same bucket and
/// <c>rootdirectory</c> — as a team moving off <c>registry:2</c> on S3 would do it. Distribution
/// pushes <see cref="FromDistribution"/> and is stopped before RegistryCloud starts, so RegistryCloud
/// finds only Distribution's objects. Tests start Distribution again on the bucket to read what
/// RegistryCloud wrote.
/// </summary>
public sealed class DistributionBucketFixture : IAsyncLifetime
{
    public const string RootDirectory = "/registry";

    public const string DistributionRepository = "dist/app";

    private readonly S3rverWithAwsFeatures _s3 = new();
    private readonly TemporaryDirectory _work = new();
    private DistributedApplication? _app;

    /// <summary>host:port of RegistryCloud's gateway.</summary>
    public string GatewayAddress { get; private set; } = "";

    /// <summary>A client of RegistryCloud's gateway that follows blob GETs' redirects to the bucket, as clients do.</summary>
    public HttpClient Http { get; } = new();

    /// <summary>What Distribution pushed to <see cref="DistributionRepository"/> before RegistryCloud started.</summary>
    public PushedContent FromDistribution { get; private set; } = null!;

    public Task<DistributionRegistry> StartDistributionAsync() => DistributionRegistry.StartOnS3Async(_s3, RootDirectory);

    /// <summary>
    /// The content each direction pushes, written under <paramref name="directory"/>: an image index
    /// over two platforms (tag <c>v1</c>), an image whose two layers are each larger than S3's
    /// smallest part (tag <c>layered</c>), and a blob to push in chunks: a small one, one of a part
    /// and a byte, then the rest.
    /// </summary>
    public static PushedContent WriteContent(string directory, string seed)
    {
        var index = Path.Combine(directory, "index");
        OciIndexLayout.WriteTwoPlatform(index, Path.Combine(directory, "scratch"), seed);
        var layered = LayeredImageLayout.Write(Path.Combine(directory, "layered"), "layered", seed, layerCount: 2, layerFileSize: 6 * 1024 * 1024);
        return new PushedContent(index, layered, TestContent.NewBlob((5 * 1024 * 1024) + (200 * 1024)));
    }

    /// <summary>Pushes <paramref name="content"/> to a registry with skopeo (images) and chunked PATCHes (the blob).</summary>
    public static async Task PushAsync(PushedContent content, string registry, HttpClient http, string repository)
    {
        var token = TestContext.Current.CancellationToken;
        await Skopeo.CopyAllAsync($"oci:{content.IndexLayout}:v1", $"docker://{registry}/{repository}:v1", token);
        await Skopeo.CopyAsync($"oci:{content.Layered.LayoutDirectory}:layered", $"docker://{registry}/{repository}:layered", token);
        await http.PushInChunksAsync(repository, content.ChunkedBlob, 64 * 1024, (5 * 1024 * 1024) + 1);
    }

    public async ValueTask InitializeAsync()
    {
        try
        {
            await _s3.InitializeAsync();
            FromDistribution = WriteContent(_work.Combine("distribution"), seed: "distribution-bucket");
            await using (var distribution = await StartDistributionAsync())
            {
                await PushAsync(FromDistribution, distribution.Client.BaseAddress!.Authority, distribution.Client, DistributionRepository);
            }

            await StartRegistryCloudAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _app = null;
        await _s3.DisposeAsync();
        _work.Dispose();
    }

    private async Task StartRegistryCloudAsync()
    {
        var configuration = _work.Combine("config.yml");
        await File.WriteAllTextAsync(configuration, $"""
            version: 0.1
            storage:
              s3:
                region: us-east-1
                regionendpoint: {_s3.Endpoint}
                forcepathstyle: true
                bucket: {S3rverServer.Bucket}
                accesskey: {S3rverServer.TestKey}
                secretkey: {S3rverServer.TestKey}
                secure: false
                rootdirectory: {RootDirectory}
                checksums: whenrequired
            """);
        var port = LoopbackPorts.Free();

        // The configuration says where storage is; no data directory (which would name a
        // filesystem root) and no Redis of the AppHost's own, so nothing is written beside it.
        _app = await RegistryAppHost.StartAsync(
            typeof(Projects.AppHost),
            [
                $"--RegistryCloud:GatewayPort={port.ToString(CultureInfo.InvariantCulture)}",
                $"--config={configuration}",
                "--RegistryCloud:Redis=none",
                "--RegistryCloud:Replicas=1",
            ],
            RegistryAppHost.Services,
            configure: null,
            TestContext.Current.CancellationToken);
        GatewayAddress = RegistryAppHost.ResolveGatewayAddress(_app, port);
        Http.BaseAddress = new Uri($"http://{GatewayAddress}/");
    }
}

/// <summary>What one registry was given: an index layout (tag v1), a layered image (tag layered) and a blob pushed in chunks.</summary>
public sealed record PushedContent(string IndexLayout, OciImage Layered, byte[] ChunkedBlob);

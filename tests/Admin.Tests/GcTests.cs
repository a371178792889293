using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Admin.Tests;

/// <summary>
/// <c>registrycloud gc</c> on storage Distribution 2.8 wrote (a filesystem root, an S3 bucket):
/// what no tag reaches goes (with <c>--delete-untagged</c>, untagged manifests too),
/// Distribution's output lines are printed, and Distribution still serves every kept image byte
/// for byte afterwards.
/// </summary>
public abstract class GcTests : AdminStorageTests
{
    private const string ManifestType = "application/vnd.docker.distribution.manifest.v2+json";

    private protected GcTests(AdminStorage storage)
        : base(storage)
    {
    }

    /// <summary>Distribution on the same storage.</summary>
    protected abstract Task<DistributionRegistry> StartDistributionAsync();

    [Fact]
    public async Task Gc_with_delete_untagged_removes_what_no_tag_reaches_and_Distribution_still_serves_the_rest()
    {
        var pushed = await PushWithDistributionAsync();

        var result = await AdminRun.RunAsync(["gc", .. Storage.Target, "--delete-untagged"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"blob eligible for deletion: {pushed.Orphan}", result.Out, StringComparison.Ordinal);
        Assert.Contains($"manifest eligible for deletion: {{dist/app {pushed.Replaced}}}", result.Out, StringComparison.Ordinal);
        Assert.Contains("blobs and 1 manifests eligible for deletion", result.Out, StringComparison.Ordinal);
        foreach (var gone in new[] { pushed.Orphan, pushed.Replaced, pushed.ReplacedOnly })
        {
            Assert.False(await Storage.Layout.HasBlobAsync(Digest.Parse(gone)), $"{gone} is still stored");
        }

        await using var distribution = await StartDistributionAsync();
        foreach (var (tag, manifest, blobs) in pushed.Kept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/dist/app/manifests/{tag}");
            request.Headers.Accept.ParseAdd(ManifestType);
            using var served = await distribution.Client.SendAsync(request, Token);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(manifest, await served.Content.ReadAsByteArrayAsync(Token));
            foreach (var blob in blobs)
            {
                Assert.Equal(blob, await distribution.Client.GetByteArrayAsync($"/v2/dist/app/blobs/{TestContent.DigestOf(blob)}", Token));
            }
        }

        using var removed = await distribution.Client.GetAsync($"/v2/dist/app/blobs/{pushed.Orphan}", Token);
        Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
    }

    [Fact]
    public async Task A_dry_run_prints_what_would_go_and_removes_nothing()
    {
        var pushed = await PushWithDistributionAsync();

        var result = await AdminRun.RunAsync(["gc", .. Storage.Target, "--dry-run", "-m"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"blob eligible for deletion: {pushed.Orphan}", result.Out, StringComparison.Ordinal);
        Assert.True(await Storage.Layout.HasBlobAsync(Digest.Parse(pushed.Orphan)));
        Assert.True(await Storage.Layout.HasRevisionAsync("dist/app", Digest.Parse(pushed.Replaced)));
    }

    /// <summary>
    /// dist/app:v1 (config, a shared and an own layer), dist/app:v2 pushed twice so its first
    /// manifest is untagged (with a layer only it used), and a blob no manifest names.
    /// </summary>
    private async Task<Pushed> PushWithDistributionAsync()
    {
        await using var distribution = await StartDistributionAsync();
        var shared = TestContent.NewBlob(3000);
        var v1 = await PushImageAsync(distribution, "v1", shared, TestContent.NewBlob(2000));
        var replacedOnly = TestContent.NewBlob(1500);
        var replaced = await PushImageAsync(distribution, "v2", shared, replacedOnly);
        var v2 = await PushImageAsync(distribution, "v2", shared, TestContent.NewBlob(1000));
        var orphan = TestContent.NewBlob(700);
        await distribution.PushBlobAsync("dist/app", orphan);
        return new Pushed(
            [("v1", v1.Manifest, v1.Blobs), ("v2", v2.Manifest, v2.Blobs)],
            TestContent.DigestOf(replaced.Manifest),
            TestContent.DigestOf(replacedOnly),
            TestContent.DigestOf(orphan));
    }

    private static async Task<(byte[] Manifest, byte[][] Blobs)> PushImageAsync(DistributionRegistry distribution, string tag, params byte[][] layers)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"tag":"{{tag}}-{{Guid.NewGuid():N}}"}""");
        byte[][] blobs = [config, .. layers];
        foreach (var blob in blobs)
        {
            await distribution.PushBlobAsync("dist/app", blob);
        }

        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{config.Length}},"digest":"{{TestContent.DigestOf(config)}}"},"layers":[{{string.Join(",", layers.Select(layer => $$"""{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{layer.Length}},"digest":"{{TestContent.DigestOf(layer)}}"}"""))}}]}""");
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        using var put = await distribution.Client.PutAsync($"/v2/dist/app/manifests/{tag}", body, Token);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return (manifest, blobs);
    }

    private sealed record Pushed(IReadOnlyList<(string Tag, byte[] Manifest, byte[][] Blobs)> Kept, string Replaced, string ReplacedOnly, string Orphan);
}

/// <summary>On a filesystem root, named with <c>--root</c>.</summary>
public sealed class FileSystemGcTests() : GcTests(AdminStorage.Root())
{
    [Fact]
    public async Task Gc_of_a_configuration_whose_root_does_not_exist_names_the_key()
    {
        var config = AdminRun.WriteConfig(Storage.Directory, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /nonexistent/registry\n");

        var result = await AdminRun.RunAsync("gc", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("storage.filesystem.rootdirectory: directory '/nonexistent/registry' does not exist", result.Error, StringComparison.Ordinal);
        Assert.False(result.HasStackTrace);
    }

    protected override Task<DistributionRegistry> StartDistributionAsync() => DistributionRegistry.StartAsync(Storage.Directory);
}

/// <summary>On an S3 bucket (s3rver) that Distribution's s3 driver wrote, named by a config.yml's <c>storage.s3</c>.</summary>
public sealed class S3GcTests : GcTests, IClassFixture<S3rverWithAwsFeatures>
{
    private readonly S3rverWithAwsFeatures _server;
    private readonly string _rootDirectory;

    public S3GcTests(S3rverWithAwsFeatures server)
        : this(server, "/gc/" + Guid.NewGuid().ToString("N"))
    {
    }

    private S3GcTests(S3rverWithAwsFeatures server, string rootDirectory)
        : base(AdminStorage.S3(server, rootDirectory))
    {
        _server = server;
        _rootDirectory = rootDirectory;
    }

    protected override Task<DistributionRegistry> StartDistributionAsync() => DistributionRegistry.StartOnS3Async(_server, _rootDirectory);
}

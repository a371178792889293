using System.Text;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Admin.Tests;

/// <summary>
/// <c>registrycloud scrub</c>: a corrupt blob is reported and quarantined, and the exit code says
/// so; on a filesystem root, an S3 bucket and an Azure container alike.
/// </summary>
public abstract class ScrubTests : AdminStorageTests
{
    private protected ScrubTests(AdminStorage storage)
        : base(storage)
    {
    }

    [Fact]
    public async Task Scrub_quarantines_a_blob_whose_bytes_do_not_match_and_exits_1()
    {
        var good = await StoreAsync("good bytes", "good bytes");
        var bad = await StoreAsync("pushed bytes", "flipped bits");

        var result = await AdminRun.RunAsync(["scrub", .. Storage.Target]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"blob {bad} does not match its 12 bytes", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 blobs checked (22 bytes): 1 did not match their digest, 1 quarantined", result.Out, StringComparison.Ordinal);
        Assert.False(await Storage.Layout.HasBlobAsync(bad));
        Assert.Single(await FilesUnderAsync(RegistryPaths.QuarantineRoot));
        Assert.True(await Storage.Layout.HasBlobAsync(good));
    }

    [Fact]
    public async Task Scrub_of_a_sound_store_exits_0_and_a_dry_run_moves_nothing()
    {
        await StoreAsync("good bytes", "good bytes");
        var bad = await StoreAsync("pushed bytes", "flipped bits");

        var dryRun = await AdminRun.RunAsync(["scrub", .. Storage.Target, "--dry-run"]);
        Assert.Equal(1, dryRun.ExitCode);
        Assert.True(await Storage.Layout.HasBlobAsync(bad));

        await Storage.Driver.DeleteAsync(RegistryPaths.BlobData(bad), Token);
        var sound = await AdminRun.RunAsync(["scrub", .. Storage.Target]);
        Assert.Equal(0, sound.ExitCode);
    }

    /// <summary>Stores <paramref name="stored"/> under the digest of <paramref name="pushed"/>.</summary>
    private async Task<Digest> StoreAsync(string pushed, string stored)
    {
        var digest = Digest.Compute(Encoding.UTF8.GetBytes(pushed));
        await Storage.Driver.PutContentAsync(RegistryPaths.BlobData(digest), Encoding.UTF8.GetBytes(stored), Token);
        return digest;
    }

    private async Task<List<string>> FilesUnderAsync(string directory)
    {
        var files = new List<string>();
        foreach (var child in await Storage.Driver.ListAsync(directory, Token))
        {
            if (await Storage.Driver.StatAsync(child, Token) is { IsDirectory: true })
            {
                files.AddRange(await FilesUnderAsync(child));
            }
            else
            {
                files.Add(child);
            }
        }

        return files;
    }
}

/// <summary>On a filesystem root, named with <c>--root</c>.</summary>
public sealed class FileSystemScrubTests() : ScrubTests(AdminStorage.Root());

/// <summary>On an S3 bucket (s3rver), named by a config.yml's <c>storage.s3</c>.</summary>
public sealed class S3ScrubTests(S3rverServer server) : ScrubTests(AdminStorage.S3(server, "/scrub/" + Guid.NewGuid().ToString("N"))), IClassFixture<S3rverServer>;

/// <summary>On an Azure container (Azurite), named by a config.yml's <c>storage.azure</c>.</summary>
public sealed class AzureScrubTests(AzuriteServer server) : ScrubTests(AdminStorage.Azure(server)), IClassFixture<AzuriteServer>;

using System.Text;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Admin.Tests;

/// <summary><c>registrycloud scrub</c>: a corrupt blob is reported and quarantined, and the exit code says so.</summary>
public sealed class ScrubTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Scrub_quarantines_a_blob_whose_bytes_do_not_match_and_exits_1()
    {
        var good = Store("good bytes", "good bytes");
        var bad = Store("pushed bytes", "flipped bits");

        var result = await AdminRun.RunAsync("scrub", "--root", _root.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"blob {bad} does not match its 12 bytes", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 blobs checked (22 bytes): 1 did not match their digest, 1 quarantined", result.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_root.Path + RegistryPaths.BlobData(bad)));
        Assert.Single(Directory.GetFiles(_root.Path + RegistryPaths.QuarantineRoot, "*", SearchOption.AllDirectories));
        Assert.True(File.Exists(_root.Path + RegistryPaths.BlobData(good)));
    }

    [Fact]
    public async Task Scrub_of_a_sound_store_exits_0_and_a_dry_run_moves_nothing()
    {
        Store("good bytes", "good bytes");
        var bad = Store("pushed bytes", "flipped bits");

        var dryRun = await AdminRun.RunAsync("scrub", "--root", _root.Path, "--dry-run");
        Assert.Equal(1, dryRun.ExitCode);
        Assert.True(File.Exists(_root.Path + RegistryPaths.BlobData(bad)));

        File.Delete(_root.Path + RegistryPaths.BlobData(bad));
        var sound = await AdminRun.RunAsync("scrub", "--root", _root.Path);
        Assert.Equal(0, sound.ExitCode);
    }

    /// <summary>Stores <paramref name="stored"/> under the digest of <paramref name="pushed"/>.</summary>
    private Digest Store(string pushed, string stored)
    {
        var digest = Digest.Compute(Encoding.UTF8.GetBytes(pushed));
        var path = _root.Path + RegistryPaths.BlobData(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, stored);
        return digest;
    }
}

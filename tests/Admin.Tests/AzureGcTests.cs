using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Admin.Tests;

/// <summary>
/// <c>registrycloud gc</c> and <c>repos</c> on an Azure container (Azurite) a config.yml's
/// <c>storage.azure</c> names, with the layout written through the azure driver (Distribution 2.8's
/// azure driver cannot reach an emulator: it has no service URL).
/// </summary>
public sealed class AzureGcTests(AzuriteServer server) : IClassFixture<AzuriteServer>, IDisposable
{
    private readonly AdminStorage _storage = AdminStorage.Azure(server);

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task Gc_with_delete_untagged_removes_what_no_tag_reaches_and_repos_lists_what_is_left()
    {
        var layout = _storage.Layout;
        var config = await layout.BlobAsync("team/app", "config");
        var kept = await layout.BlobAsync("team/app", "kept layer");
        var tagged = await layout.ImageAsync("team/app", "v1", config, kept);
        var onlyUntagged = await layout.BlobAsync("team/app", "layer of the untagged image");
        var untagged = await layout.ImageAsync("team/app", tag: null, config, onlyUntagged);
        var orphan = await layout.BlobAsync("team/app", "orphan");

        var result = await AdminRun.RunAsync(["gc", .. _storage.Target, "--delete-untagged"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"blob eligible for deletion: {orphan}", result.Out, StringComparison.Ordinal);
        Assert.Contains($"manifest eligible for deletion: {{team/app {untagged}}}", result.Out, StringComparison.Ordinal);
        foreach (var gone in new[] { orphan, onlyUntagged, untagged })
        {
            Assert.False(await layout.HasBlobAsync(gone), $"{gone} is still stored");
        }

        foreach (var left in new[] { config, kept, tagged })
        {
            Assert.True(await layout.HasBlobAsync(left), $"{left} was removed");
        }

        var repos = await AdminRun.RunAsync(["repos", .. _storage.Target, "--json"]);
        Assert.Equal(0, repos.ExitCode);
        Assert.Contains("\"team/app\"", repos.Out, StringComparison.Ordinal);
    }
}

/// <summary>Object storage the tool cannot reach is one error line naming the section.</summary>
public sealed class UnreachableObjectStorageTests : IDisposable
{
    private readonly TemporaryDirectory _configuration = new();

    public void Dispose() => _configuration.Dispose();

    [Fact]
    public async Task Gc_of_an_s3_bucket_nobody_serves_names_the_section_without_a_stack_trace()
    {
        var config = AdminRun.WriteConfig(_configuration.Path, $"""
            version: 0.1
            storage:
              s3:
                regionendpoint: {LoopbackPorts.ClosedAddress()}
                forcepathstyle: true
                bucket: registry
                accesskey: key
                secretkey: secret
                secure: false
            """);

        var result = await AdminRun.RunAsync("gc", config);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: storage.s3: ", result.Error, StringComparison.Ordinal);
        Assert.False(result.HasStackTrace);
    }
}

using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Tags;

/// <summary>
/// Pulls are recorded where a retention rule keeps recently pulled tags, beside the tags (never
/// inside a tag's folder), and nowhere else.
/// </summary>
public sealed class PullTimesTests(RetentionRegistryServices services) : IClassFixture<RetentionRegistryServices>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pull_by_tag_records_the_tag_and_its_manifest_in_a_repository_the_rule_covers()
    {
        var repository = "ci/" + Guid.NewGuid().ToString("N");
        var manifest = await services.PushImageAsync(repository, "build-1");

        await services.Manifests.GetByteArrayAsync($"/v2/{repository}/manifests/build-1", Token);

        var digest = Digest.Parse(TestManifests.DigestOf(manifest));
        await WaitForAsync(services.RootDirectory + RegistryPaths.TagPulledAt(repository, "build-1"));
        await WaitForAsync(services.RootDirectory + RegistryPaths.RevisionPulledAt(repository, digest));
        Assert.Equal(["build-1"], Directory.GetDirectories(services.RootDirectory + RegistryPaths.TagsDirectory(repository)).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_pull_in_a_repository_no_rule_covers_records_nothing()
    {
        var repository = TestContent.NewRepository();
        await services.PushImageAsync(repository, "v1");
        var other = "ci/" + Guid.NewGuid().ToString("N");
        await services.PushImageAsync(other, "v1");

        await services.Manifests.GetByteArrayAsync($"/v2/{repository}/manifests/v1", Token);
        await services.Manifests.GetByteArrayAsync($"/v2/{other}/manifests/v1", Token);

        // The covered repository's record appearing means the other's would have been written by now too.
        await WaitForAsync(services.RootDirectory + RegistryPaths.TagPulledAt(other, "v1"));
        Assert.False(Directory.Exists(services.RootDirectory + RegistryPaths.ManifestsDirectory(repository) + "/_pulls"));
    }

    private static Task WaitForAsync(string file) =>
        Poll.UntilAsync(() => File.Exists(file), $"{file} was not written", TimeSpan.FromSeconds(30));
}

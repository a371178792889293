using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.ManifestService.Tests.Manifests;

/// <summary>
/// A manifest's bytes go to BlobService once per repository, in the same call that checks its
/// blobs: pushing it again, or tagging it again, finds its revision link and makes no
/// <c>WriteContent</c> call; a manifest naming a missing blob stores nothing.
/// </summary>
public sealed class ManifestContentWriteTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    private const string RequestDuration = "http.server.request.duration";

    [Fact]
    public async Task Tagging_a_manifest_the_repository_has_does_not_store_its_bytes_again()
    {
        using var recorder = new MeasurementRecorder(services.BlobServices.GetRequiredService<IMeterFactory>(), RequestDuration);
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);
        var digest = TestManifests.DigestOf(manifest);

        using (var first = await services.Manifests.PutManifestAsync(repository, digest, manifest, MediaTypes.OciImageManifest))
        {
            await OciAssert.StatusAsync(first, HttpStatusCode.Created);
        }

        // The first push stores the bytes: the count below would see a second write.
        await WaitForAsync(() => WriteContentCalls(recorder) == 1);

        foreach (var reference in new[] { "v1", "v2", digest })
        {
            using var again = await services.Manifests.PutManifestAsync(repository, reference, manifest, MediaTypes.OciImageManifest);
            await OciAssert.StatusAsync(again, HttpStatusCode.Created);
        }

        foreach (var tag in new[] { "v1", "v2" })
        {
            using var pulled = await services.Manifests.GetAsync($"/v2/{repository}/manifests/{tag}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
            Assert.Equal(manifest, await pulled.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(1, WriteContentCalls(recorder));
    }

    [Fact]
    public async Task A_new_manifest_is_checked_and_stored_in_one_call_to_BlobService()
    {
        using var recorder = new MeasurementRecorder(services.BlobServices.GetRequiredService<IMeterFactory>(), RequestDuration);
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);

        using (var put = await services.Manifests.PutManifestAsync(repository, "v1", manifest, MediaTypes.OciImageManifest))
        {
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        // A StatBlobs call would come before the write, so it is recorded by the time the write is.
        await WaitForAsync(() => WriteContentCalls(recorder) == 1);
        Assert.Equal(0, Calls(recorder, "/StatBlobs"));
        Assert.NotNull(await BlobDataAsync(TestManifests.DigestOf(manifest)));
    }

    [Fact]
    public async Task A_manifest_naming_a_blob_the_repository_lacks_stores_no_bytes()
    {
        var repository = TestContent.NewRepository();
        var config = TestManifests.NewConfig();
        await services.Blobs.PushBlobAsync(repository, config);
        var manifest = TestManifests.Image(
            MediaTypes.OciImageManifest,
            TestDescriptor.Of(MediaTypes.OciImageConfig, config),
            TestDescriptor.Of("application/vnd.oci.image.layer.v1.tar+gzip", TestContent.NewBlob(100)));

        using var put = await services.Manifests.PutManifestAsync(repository, "v1", manifest, MediaTypes.OciImageManifest);

        await OciAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        Assert.Null(await BlobDataAsync(TestManifests.DigestOf(manifest)));
    }

    private Task<StorageEntry?> BlobDataAsync(string digest) =>
        services.BlobServices.GetRequiredService<IStorageDriver>().StatAsync(RegistryPaths.BlobData(Digest.Parse(digest)), TestContext.Current.CancellationToken);

    private static int WriteContentCalls(MeasurementRecorder recorder) => Calls(recorder, "/WriteContent");

    private static int Calls(MeasurementRecorder recorder, string method) =>
        recorder.Of(RequestDuration).Count(m => m.Tags.TryGetValue("http.route", out var route) && route?.EndsWith(method, StringComparison.Ordinal) == true);

    // The server records a request's duration as it finishes, which can be just after the client has the response.
    private static Task WaitForAsync(Func<bool> condition) =>
        Poll.UntilAsync(condition, "BlobService did not record the first WriteContent call");
}

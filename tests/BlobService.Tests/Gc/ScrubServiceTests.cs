using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Gc;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.BlobService.Tests.Gc;

/// <summary>
/// The background scrub on a running BlobService: a blob whose stored bytes rotted is quarantined
/// and counted, answers 404 (even where the cache had it), and the next push of the right bytes
/// stores them again.
/// </summary>
public sealed class ScrubServiceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rotten_blob_is_quarantined_and_the_next_push_of_its_bytes_stores_them_again()
    {
        await using var service = new TemporaryFileSystemBlobService();
        using var client = service.CreateRegistryClient();
        using var recorder = new MeasurementRecorder(service.Services.GetRequiredService<IMeterFactory>(), "registry.scrub.quarantined", "registry.scrub.blobs");
        var repository = TestContent.NewRepository();
        var content = TestContent.NewBlob(4096);
        var digest = await client.PushBlobAsync(repository, content);
        using (var cached = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        var rotten = (byte[])content.Clone();
        rotten[100] ^= 0xFF;
        await File.WriteAllBytesAsync(service.Root + RegistryPaths.BlobData(Digest.Parse(digest)), rotten, Token);

        var report = await service.Services.GetRequiredService<ScrubService>().RunOnceAsync(Token);

        Assert.Equal(1, report?.Quarantined);
        Assert.Equal(1, recorder.Sum("registry.scrub.quarantined"));
        using (var gone = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        await client.PushBlobAsync(repository, content);
        Assert.Equal(content, await client.GetByteArrayAsync($"/v2/{repository}/blobs/{digest}", Token));
    }
}

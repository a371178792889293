using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Metrics;

namespace RegistryCloud.BlobService.Tests.Extensions;

/// <summary>#7's upload sessions, bytes in and out and storage action latencies, as one push and pull move them.</summary>
public sealed class BlobServiceMetricsTests(TemporaryFileSystemBlobService service) : IClassFixture<TemporaryFileSystemBlobService>
{
    private static readonly string[] Instruments =
    [
        "registry.uploads.started", "registry.uploads.completed", "registry.uploads.cancelled",
        "registry.blob.bytes_received", "registry.blob.bytes_sent", "registry.storage.action.duration",
    ];

    [Fact]
    public async Task A_push_a_pull_a_cancel_and_a_wrong_digest_each_move_their_instruments()
    {
        using var recorder = new MeasurementRecorder(service.Services.GetRequiredService<IMeterFactory>(), Instruments);
        using var client = service.CreateClient();
        var content = TestContent.NewBlob(300_000);

        var digest = await client.PushBlobAsync("metrics/app", content);
        using (var pulled = await client.GetAsync($"/v2/metrics/app/blobs/{digest}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }

        var cancelled = await client.StartUploadAsync("metrics/app");
        using (var response = await client.DeleteAsync(cancelled, TestContext.Current.CancellationToken))
        {
            await OciAssert.StatusAsync(response, HttpStatusCode.NoContent);
        }

        using (var wrong = await client.PostBlobAsync("metrics/app", content, TestContent.DigestOf([1, 2, 3])))
        {
            await OciAssert.StatusAsync(wrong, HttpStatusCode.BadRequest);
        }

        Assert.Equal(3, recorder.Sum("registry.uploads.started"));
        Assert.Equal(1, recorder.Sum("registry.uploads.completed", ("registry.upload.outcome", "ok")));
        Assert.Equal(1, recorder.Sum("registry.uploads.completed", ("registry.upload.outcome", "digest_invalid")));
        Assert.Equal(1, recorder.Sum("registry.uploads.cancelled"));
        Assert.Equal(2 * content.Length, recorder.Sum("registry.blob.bytes_received"));
        Assert.Equal(content.Length, recorder.Sum("registry.blob.bytes_sent"));
        Assert.Contains(recorder.Of("registry.storage.action.duration"), m => m.Tags["registry.storage.driver"] == "filesystem" && m.Tags["registry.storage.action"] == "move");
    }
}

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.BlobService.Gc;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Operations;

/// <summary>
/// <c>GET /status</c>, the operators' view the console shows: the last collection and the storage
/// used, counted by a collection's sweep or, with none recent, by one walk a look starts.
/// </summary>
public sealed class StatusApiTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_collection_is_reported_with_the_storage_its_sweep_counted()
    {
        await using var service = new TemporaryFileSystemBlobService();
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        await client.PushBlobAsync(repository, TestContent.NewBlob(4096));
        await client.PushBlobAsync(repository, TestContent.NewBlob(1000));

        Assert.NotNull(await service.Services.GetRequiredService<GarbageCollectionService>().RunOnceAsync(Token));
        using var status = await ReadAsync(client);

        var gc = status.RootElement.GetProperty("gc");
        Assert.False(gc.GetProperty("enabled").GetBoolean());
        var run = gc.GetProperty("lastRun");
        Assert.Equal("ok", run.GetProperty("outcome").GetString());
        Assert.True(run.GetProperty("finishedAt").GetDateTimeOffset() >= run.GetProperty("startedAt").GetDateTimeOffset());
        var storage = status.RootElement.GetProperty("storage");
        Assert.Equal(("gc", 2, 5096), (storage.GetProperty("source").GetString(), storage.GetProperty("blobs").GetInt64(), storage.GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public async Task Without_a_recent_collection_a_look_starts_a_walk_whose_count_later_looks_report()
    {
        await using var service = new TemporaryFileSystemBlobService();
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        await client.PushBlobAsync(repository, TestContent.NewBlob(3000));

        var storage = await Poll.UntilAsync(
            async () =>
            {
                using var status = await ReadAsync(client);
                return status.RootElement.TryGetProperty("storage", out var used) ? used.Clone() : (JsonElement?)null;
            },
            used => used is not null,
            _ => "no storage count was reported");

        Assert.Equal(("walk", 1, 3000), (storage!.Value.GetProperty("source").GetString(), storage.Value.GetProperty("blobs").GetInt64(), storage.Value.GetProperty("bytes").GetInt64()));
    }

    private static async Task<JsonDocument> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/status", Token);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
    }
}

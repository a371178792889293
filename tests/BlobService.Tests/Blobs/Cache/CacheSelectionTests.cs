using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.BlobService.Blobs.Cache;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Blobs.Cache;

/// <summary>Which cache <c>storage.cache.blobdescriptor</c> (or its old name <c>layerinfo</c>) selects.</summary>
public sealed class CacheSelectionTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Redis_without_a_Redis_connection_falls_back_to_inmemory_with_one_warning()
    {
        await using var service = new LoggingBlobService(new Dictionary<string, string>
        {
            [RegistryStorageOptions.DriverKey] = "inmemory",
            [CachedBlobService.CacheKey] = "redis",
            ["REGISTRY_REDIS_ADDR"] = "127.0.0.1:1",
        });
        using var client = service.CreateRegistryClient();

        await client.PushBlobAsync(TestContent.NewRepository(), TestContent.NewBlob());

        Assert.IsType<InMemoryBlobDescriptorCache>(service.Services.GetRequiredService<IBlobDescriptorCache>());
        Assert.Single(service.Warnings, line => line.Contains("storage.cache.blobdescriptor is redis", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_old_name_layerinfo_selects_redis_too()
    {
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        var config = WriteConfig($"""
            version: 0.1
            storage:
              inmemory:
              cache:
                layerinfo: redis
            redis:
              addr: {redis.ConnectionString}
            """);
        await using var service = new BlobServiceFactory(new Dictionary<string, string>
        {
            [RegistryConfigurationLoader.ConfigurationPathVariable] = config,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
        });
        using var client = service.CreateRegistryClient();

        var repository = TestContent.NewRepository();
        var digest = await client.PushBlobAsync(repository, TestContent.NewBlob());

        Assert.IsType<RedisBlobDescriptorCache>(service.Services.GetRequiredService<IBlobDescriptorCache>());
        Assert.True(await redis.Database.KeyExistsAsync($"registry:cache:repository::{repository}::blobs::{digest}"));
    }

    [Fact]
    public async Task A_configuration_without_storage_cache_has_no_cache_and_still_serves_blobs()
    {
        var config = WriteConfig("""
            version: 0.1
            storage:
              inmemory:
            """);
        await using var service = new BlobServiceFactory(new Dictionary<string, string>
        {
            [RegistryConfigurationLoader.ConfigurationPathVariable] = config,
        });
        using var client = service.CreateRegistryClient();
        var repository = TestContent.NewRepository();
        var digest = await client.PushBlobAsync(repository, TestContent.NewBlob());

        using var head = await client.SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

        await OciAssert.StatusAsync(head, HttpStatusCode.OK);
        Assert.Null(service.Services.GetService<IBlobDescriptorCache>());
        Assert.Equal(BlobDescriptorCacheKind.None, service.Services.GetRequiredService<BlobDescriptorCacheOptions>().Kind);
    }

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>BlobService whose warnings the test can read.</summary>
    private sealed class LoggingBlobService(IReadOnlyDictionary<string, string> settings) : BlobServiceFactory(settings)
    {
        private readonly LogCapture _recorder = new(LogLevel.Warning);

        public IEnumerable<string> Warnings => _recorder.Lines.Select(line => line.Message);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(_recorder));
        }
    }
}

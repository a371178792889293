using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCloud.BlobService.Tests.Infrastructure;
using RegistryCloud.Configuration;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Redis;

/// <summary>
/// BlobService on the in-memory driver with the Redis blob descriptor cache, its <c>redis</c>
/// section written to a config file in <paramref name="directory"/> as an operator would, and its
/// log kept. The connection string names only the address, as the AppHost and the manifests do.
/// With <paramref name="useAddr"/> false the section gives its own addresses (<c>addrs</c>).
/// </summary>
public sealed class RedisBlobService(string directory, RedisServer redis, string redisSection, bool useAddr = true)
    : BlobServiceFactory(Settings(directory, redis, redisSection, useAddr))
{
    public LogCapture Log { get; } = new(LogLevel.Information, LogLevel.Warning);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }

    private static Dictionary<string, string> Settings(string directory, RedisServer redis, string redisSection, bool useAddr)
    {
        var path = Path.Combine(directory, $"config-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, $"""
            version: 0.1
            storage:
              inmemory:
              cache:
                blobdescriptor: redis
            redis:
            {(useAddr ? $"  addr: {redis.ConnectionString}\n" : "")}{redisSection}
            """);
        return new Dictionary<string, string>
        {
            [RegistryConfigurationLoader.ConfigurationPathVariable] = path,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
        };
    }
}

extern alias blobservice;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Configuration;
using RegistryCloud.Protos.BlobContent;

namespace RegistryCloud.ManifestService.Tests.Infrastructure;

/// <summary>
/// A BlobService replica with the online collector on (<c>gc.enabled</c>), coordinated with the
/// others through <paramref name="redis"/>, on a filesystem root replicas share; further
/// <c>REGISTRY_*</c> settings on top.
/// </summary>
public sealed class CollectingBlobService(string root, string redis, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<blobservice::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(RegistryStorageOptions.DriverKey, "filesystem");
        builder.UseSetting(RegistryStorageOptions.RootDirectoryKey, root);
        builder.UseSetting("ConnectionStrings:redis", redis);
        builder.UseSetting("REGISTRY_REDIS_ADDR", redis);
        builder.UseSetting("REGISTRY_GC_ENABLED", "true");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>
/// ManifestService with <c>gc.enabled</c>, so its pushes tell BlobService what they rely on,
/// calling <paramref name="blobs"/>' gRPC service through its TestServer.
/// </summary>
public sealed class CollectingManifestService(string root, CollectingBlobService blobs) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(RegistryStorageOptions.DriverKey, "filesystem");
        builder.UseSetting(RegistryStorageOptions.RootDirectoryKey, root);
        builder.UseSetting("REGISTRY_GC_ENABLED", "true");
        builder.ConfigureTestServices(services =>
            services.AddHttpClient(nameof(BlobContent.BlobContentClient))
                .ConfigurePrimaryHttpMessageHandler(() => blobs.Server.CreateHandler()));
    }
}

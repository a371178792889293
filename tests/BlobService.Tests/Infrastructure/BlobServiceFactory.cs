using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Storage;

namespace RegistryCloud.BlobService.Tests.Infrastructure;

/// <summary>BlobService in process, on TestServer, with the given storage settings.</summary>
public class BlobServiceFactory(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>BlobService on the in-memory driver, deletes disabled (Distribution's default).</summary>
public sealed class InMemoryBlobService() : BlobServiceFactory(new Dictionary<string, string>
{
    [RegistryStorageOptions.DriverKey] = "inmemory",
});

/// <summary>BlobService on the in-memory driver with <c>storage.delete.enabled</c>.</summary>
public sealed class DeletingBlobService() : BlobServiceFactory(new Dictionary<string, string>
{
    [RegistryStorageOptions.DriverKey] = "inmemory",
    [RegistryStorageOptions.DeleteEnabledKey] = "true",
});

/// <summary>A BlobService replica on a filesystem root that other replicas may share.</summary>
public sealed class FileSystemBlobService(string root) : BlobServiceFactory(new Dictionary<string, string>
{
    [RegistryStorageOptions.DriverKey] = "filesystem",
    [RegistryStorageOptions.RootDirectoryKey] = root,
});

/// <summary>BlobService on a filesystem root of its own, deleted when the fixture is disposed.</summary>
public class TemporaryFileSystemBlobService : BlobServiceFactory
{
    private readonly TemporaryDirectory _root;

    public TemporaryFileSystemBlobService()
        : this(new TemporaryDirectory(), new Dictionary<string, string>())
    {
    }

    protected TemporaryFileSystemBlobService(IReadOnlyDictionary<string, string> extra)
        : this(new TemporaryDirectory(), extra)
    {
    }

    private TemporaryFileSystemBlobService(TemporaryDirectory root, IReadOnlyDictionary<string, string> extra)
        : base(new Dictionary<string, string>(extra)
        {
            [RegistryStorageOptions.DriverKey] = "filesystem",
            [RegistryStorageOptions.RootDirectoryKey] = root.Path,
        }) => _root = root;

    public string Root => _root.Path;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>As <see cref="TemporaryFileSystemBlobService"/>, with <c>storage.filesystem.directio: false</c>.</summary>
public sealed class BufferedFileSystemBlobService() : TemporaryFileSystemBlobService(new Dictionary<string, string>
{
    ["REGISTRY_STORAGE_FILESYSTEM_DIRECTIO"] = "false",
});

/// <summary>BlobService on the in-memory driver with <c>policies.quotas</c>: repositories <c>quota/*</c> hold at most 1000 bytes.</summary>
public sealed class QuotaBlobService() : BlobServiceFactory(new Dictionary<string, string>
{
    [RegistryStorageOptions.DriverKey] = "inmemory",
    ["REGISTRY_POLICIES_QUOTAS_0_REPOSITORY"] = "quota/*",
    ["REGISTRY_POLICIES_QUOTAS_0_BYTES"] = "1000",
})
{
    public const long Quota = 1000;
}

/// <summary>
/// BlobService on an in-memory driver that signs download URLs, as an object-storage driver does
/// (<see cref="UrlBase"/> + the blob's path): GETs redirect there unless <c>storage.redirect.disable</c>.
/// </summary>
public abstract class SigningBlobService(bool redirectDisabled) : BlobServiceFactory(new Dictionary<string, string>
{
    [RegistryStorageOptions.DriverKey] = "inmemory",
    ["REGISTRY_STORAGE_REDIRECT_DISABLE"] = redirectDisabled ? "true" : "false",
})
{
    public const string UrlBase = "https://storage.example/bucket";

    /// <summary>The expiry the service asked the last URL for.</summary>
    public TimeSpan? LastExpiry { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStorageDriver>(new SigningDriver(this, new InMemoryStorageDriver())));
    }

    private sealed class SigningDriver(SigningBlobService owner, IStorageDriver inner) : DelegatingStorageDriver(inner)
    {
        public override Task<Uri?> GetDownloadUrlAsync(string path, TimeSpan expiry, CancellationToken cancellationToken)
        {
            owner.LastExpiry = expiry;
            return Task.FromResult<Uri?>(new Uri(UrlBase + path + "?signature=test"));
        }
    }
}

/// <summary><see cref="SigningBlobService"/> with redirects on (the default).</summary>
public sealed class RedirectingBlobService() : SigningBlobService(redirectDisabled: false);

/// <summary><see cref="SigningBlobService"/> with <c>storage.redirect.disable: true</c>.</summary>
public sealed class RedirectDisabledBlobService() : SigningBlobService(redirectDisabled: true);

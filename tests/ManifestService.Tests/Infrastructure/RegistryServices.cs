extern alias blobservice;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Configuration;
using RegistryCloud.Protos.BlobContent;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Infrastructure;

/// <summary>
/// BlobService and ManifestService in process on one filesystem root, ManifestService calling
/// BlobService's gRPC service through BlobService's TestServer: the two-service slice of the
/// registry that a manifest push needs, without the gateway.
/// </summary>
public class RegistryServices : IAsyncDisposable
{
    private readonly TemporaryDirectory _root = new();
    private readonly BlobServiceHost _blobs;
    private readonly ManifestServiceHost _manifests;

    public RegistryServices()
        : this(deleteEnabled: false)
    {
    }

    /// <summary>
    /// Both services with <c>storage.delete.enabled</c> set as given, and ManifestService (and
    /// BlobService) with further settings (<c>REGISTRY_*</c> overrides) on top.
    /// </summary>
    protected RegistryServices(
        bool deleteEnabled, IReadOnlyDictionary<string, string>? manifestSettings = null, IReadOnlyDictionary<string, string>? blobSettings = null)
    {
        _blobs = new BlobServiceHost(_root.Path, deleteEnabled, blobSettings ?? new Dictionary<string, string>());
        _manifests = new ManifestServiceHost(_root.Path, deleteEnabled, _blobs, manifestSettings ?? new Dictionary<string, string>());
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false };
        Blobs = _blobs.CreateClient(options);
        Manifests = _manifests.CreateClient(options);
    }

    /// <summary>A client of BlobService's HTTP API, to push the blobs manifests reference.</summary>
    public HttpClient Blobs { get; }

    /// <summary>A client of ManifestService's HTTP API.</summary>
    public HttpClient Manifests { get; }

    /// <summary>BlobService's own services (its meters, stores).</summary>
    public IServiceProvider BlobServices => _blobs.Services;

    /// <summary>ManifestService's own services (its configuration, logging, stores).</summary>
    public IServiceProvider ManifestServices => _manifests.Services;

    /// <summary>The storage root both services share (Distribution's layout below it).</summary>
    public string RootDirectory => _root.Path;

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Blobs.Dispose();
        Manifests.Dispose();
        await _manifests.DisposeAsync();
        await _blobs.DisposeAsync();
        _root.Dispose();
    }

    private static void UseStorage(IWebHostBuilder builder, string root, bool deleteEnabled)
    {
        builder.UseSetting(RegistryStorageOptions.DriverKey, "filesystem");
        builder.UseSetting(RegistryStorageOptions.RootDirectoryKey, root);
        builder.UseSetting(RegistryStorageOptions.DeleteEnabledKey, deleteEnabled ? "true" : "false");
    }

    private sealed class BlobServiceHost(string root, bool deleteEnabled, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<blobservice::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            UseStorage(builder, root, deleteEnabled);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }

    private sealed class ManifestServiceHost(
        string root, bool deleteEnabled, BlobServiceHost blobs, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            UseStorage(builder, root, deleteEnabled);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
                // Keeps the service's own gRPC client registration and swaps only its transport.
                services.AddHttpClient(nameof(BlobContent.BlobContentClient))
                    .ConfigurePrimaryHttpMessageHandler(() => blobs.Server.CreateHandler()));
        }
    }
}

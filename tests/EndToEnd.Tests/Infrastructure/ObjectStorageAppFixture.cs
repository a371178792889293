using Aspire.Hosting;
using RegistryCloud.Tests.AppHostTesting;

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real AppHost with its storage on an object-storage emulator it starts itself
/// (<c>RegistryCloud:Storage=s3</c> or <c>azure</c>), one replica of each service, its own data
/// directory, and a private Docker daemon started on first use. One per test class, and the
/// classes share the <see cref="ObjectStorageCollection"/>, so one such app runs at a time.
/// </summary>
public abstract class ObjectStorageAppFixture(string storage, string emulator) : IAsyncLifetime
{
    private DistributedApplication? _app;
    private string? _dataDirectory;
    private DockerEngine? _docker;

    /// <summary>host:port of the gateway (<c>localhost:5123</c>).</summary>
    public string GatewayAddress { get; private set; } = "";

    /// <summary>A client whose base address is the registry's root.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false });

    /// <summary>The emulator's resource name: where a blob GET's redirect must point.</summary>
    public string Emulator => emulator;

    public async Task<DockerEngine> GetDockerAsync() =>
        _docker ??= await DockerEngine.StartAsync([GatewayAddress], CancellationToken.None);

    public async ValueTask InitializeAsync()
    {
        var port = LoopbackPorts.Free();
        _dataDirectory = Directory.CreateTempSubdirectory($"registrycloud-e2e-{storage}-").FullName;
        try
        {
            _app = await RegistryAppHost.StartAsync(
                typeof(Projects.AppHost),
                [
                    $"--RegistryCloud:GatewayPort={port}",
                    $"--RegistryCloud:DataDirectory={_dataDirectory}",
                    $"--RegistryCloud:Storage={storage}",
                    "--RegistryCloud:Replicas=1",
                    "--REGISTRY_STORAGE_DELETE_ENABLED=true",
                ],
                [.. RegistryAppHost.Services, emulator],
                configure: null,
                TestContext.Current.CancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }

        GatewayAddress = RegistryAppHost.ResolveGatewayAddress(_app, port);
        Http.BaseAddress = new Uri($"http://{GatewayAddress}/");
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Http.Dispose();
        if (_docker is not null)
        {
            await _docker.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>The AppHost on s3rver (<c>RegistryCloud:Storage=s3</c>).</summary>
public sealed class S3AppFixture() : ObjectStorageAppFixture("s3", "s3");

/// <summary>The AppHost on Azurite (<c>RegistryCloud:Storage=azure</c>).</summary>
public sealed class AzureAppFixture() : ObjectStorageAppFixture("azure", "azurite");

/// <summary>The object-storage registries run one at a time, beside the main registry's collection.</summary>
[CollectionDefinition(Name)]
public sealed class ObjectStorageCollection
{
    public const string Name = "ObjectStorage";
}

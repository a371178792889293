using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RegistryCloud.AppHost.Resources;

/// <summary>The object-storage emulator a local run uses, and what the services are told to reach it.</summary>
internal sealed record RegistryStorageEmulator(IResourceBuilder<ExecutableResource> Resource, IReadOnlyDictionary<string, string> Variables);

/// <summary>
/// <c>RegistryCloud:Storage=s3</c> or <c>azure</c>: the registry's storage on an emulator the AppHost
/// starts as a resource of its own (shown in the dashboard), from the npm packages of
/// <c>tests/servers</c>: s3rver (through <c>tests/servers/s3rver.js</c>, which gives it the
/// conditional writes the s3 driver's locks use) or Azurite. Every service gets Distribution's
/// <c>REGISTRY_STORAGE_*</c> variables for it; the data stays in the data directory.
/// </summary>
internal static class StorageEmulators
{
    public const string Bucket = "registry";

    // The emulators' published development credentials (s3rver's defaults; Azurite's well-known
    // devstoreaccount1 key from Microsoft's documentation), never a real account's.
    private const string S3AccessKey = "S3RVER";
    private const string S3SecretKey = "S3RVER";
    private const string AzuriteAccount = "devstoreaccount1";
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static RegistryStorageEmulator? AddStorageEmulator(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        if (settings.Storage == StorageEmulator.None)
        {
            return null;
        }

        // AppHostSettings checked that Node.js and the package are there.
        var servers = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "tests", "servers"));
        var node = FindOnPath("node")!;
        var package = settings.Storage == StorageEmulator.S3 ? "s3rver" : "azurite";
        var port = FreeLoopbackPort();
        var data = Path.Combine(settings.DataDirectory, package);
        Directory.CreateDirectory(data);
        IResourceBuilder<ExecutableResource> emulator;
        Dictionary<string, string> variables;
        if (settings.Storage == StorageEmulator.S3)
        {
            // s3rver keeps a bucket as a folder of its directory: the registry's exists from the start.
            Directory.CreateDirectory(Path.Combine(data, Bucket));
            emulator = builder.AddExecutable("s3", node, servers,
                "--openssl-legacy-provider", Path.Combine(servers, "s3rver.js"), data, port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--conditional-writes", "--upload-part-copy");
            var endpoint = $"http://127.0.0.1:{port}";
            variables = new Dictionary<string, string>
            {
                ["REGISTRY_STORAGE"] = "s3",
                ["REGISTRY_STORAGE_S3_REGION"] = "us-east-1",
                ["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = endpoint,
                ["REGISTRY_STORAGE_S3_FORCEPATHSTYLE"] = "true",
                // Plain HTTP on loopback: presigned URLs must say http too.
                ["REGISTRY_STORAGE_S3_SECURE"] = "false",
                ["REGISTRY_STORAGE_S3_BUCKET"] = Bucket,
                ["REGISTRY_STORAGE_S3_ACCESSKEY"] = S3AccessKey,
                ["REGISTRY_STORAGE_S3_SECRETKEY"] = S3SecretKey,
                // s3rver predates the SDK's default flexible checksums.
                ["REGISTRY_STORAGE_S3_CHECKSUMS"] = "whenrequired",
            };
        }
        else
        {
            emulator = builder.AddExecutable("azurite", node, servers,
                Path.Combine(servers, "node_modules", "azurite", "dist", "src", "blob", "main.js"),
                "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--location", data, "--skipApiVersionCheck", "--loose", "--silent");
            var serviceUrl = $"http://127.0.0.1:{port}/{AzuriteAccount}";
            variables = new Dictionary<string, string>
            {
                ["REGISTRY_STORAGE"] = "azure",
                ["REGISTRY_STORAGE_AZURE_ACCOUNTNAME"] = AzuriteAccount,
                ["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"] = AzuriteKey,
                ["REGISTRY_STORAGE_AZURE_CONTAINER"] = Bucket,
                ["REGISTRY_STORAGE_AZURE_SERVICEURL"] = serviceUrl,
            };
        }

        var healthCheck = emulator.Resource.Name + "-listening";
        builder.Services.AddHealthChecks().AddCheck(healthCheck, new ListeningHealthCheck(port));
        emulator.WithHealthCheck(healthCheck);
        return new RegistryStorageEmulator(emulator, variables);
    }

    /// <summary>Points a service at the emulator and makes it wait until the emulator listens.</summary>
    public static IResourceBuilder<ProjectResource> WithStorageEmulator(this IResourceBuilder<ProjectResource> project, RegistryStorageEmulator emulator)
    {
        foreach (var (name, value) in emulator.Variables)
        {
            project.WithEnvironment(name, value);
        }

        return project.WaitFor(emulator.Resource);
    }

    /// <summary>A port nothing listens on now, for the emulator (it takes its port as an argument).</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Healthy once something accepts connections on the emulator's port.</summary>
    private sealed class ListeningHealthCheck(int port) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy($"nothing listens on port {port} yet");
            }
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;
using RegistryCloud.Configuration;

namespace RegistryCloud.AppHost;

/// <summary>How the redis dependency is provided.</summary>
internal enum RedisMode
{
    /// <summary>A local <c>redis-server</c> executable (the default: works without a container runtime).</summary>
    Local,

    /// <summary>The Redis container image, where a container runtime can pull it.</summary>
    Container,

    /// <summary>No Redis: the services fall back to in-memory state.</summary>
    None,

    /// <summary>The Redis that <c>redis.addr</c> of the registry configuration names; none is started.</summary>
    External,
}

/// <summary>The object-storage emulator a local run puts the registry's storage on (<c>RegistryCloud:Storage</c>).</summary>
internal enum StorageEmulator
{
    /// <summary>None: the configuration's storage, or the data directory.</summary>
    None,

    /// <summary>s3rver, for the s3 driver.</summary>
    S3,

    /// <summary>Azurite, for the azure driver.</summary>
    Azure,
}

/// <summary>
/// The AppHost's own settings, under <c>RegistryCloud:</c> (appsettings.json, environment
/// <c>RegistryCloud__GatewayPort</c>, or the command line <c>--RegistryCloud:GatewayPort=5001</c>
/// or <c>--RegistryCloud:Replicas 2</c>).
/// Invalid values stop start-up with a message naming the key.
/// </summary>
internal sealed record AppHostSettings(
    int GatewayPort,
    string DataDirectory,
    RedisMode Redis,
    string RedisServer,
    string? ConfigPath = null,
    RegistryConfiguration? Registry = null,
    bool DataDirectoryGiven = true)
{
    /// <summary>
    /// How many processes run each of BlobService, ManifestService and NotifierService (the
    /// gateway stays one: it owns the port clients know).
    /// </summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Enough to show scale-out on a laptop; more only multiplies processes on one machine.</summary>
    public const int MaxReplicas = 16;

    /// <summary>
    /// Whether the services keep the registry's storage in the data directory (its <c>storage</c>
    /// folder, given to them as the filesystem root).
    /// </summary>
    public bool StorageInDataDirectory { get; init; } = ConfigPath is null || DataDirectoryGiven;

    /// <summary>Whether the gateway's port is <c>http.addr</c>'s, no <c>RegistryCloud:GatewayPort</c> having been given.</summary>
    public bool GatewayPortFromConfiguration { get; init; }

    /// <summary>
    /// What the registry configuration, as the services will read it, warns about (unknown keys,
    /// keys read but not applied), to print once at start: the services' own logs go only to the dashboard.
    /// </summary>
    public IReadOnlyList<string> ConfigurationWarnings { get; init; } = [];

    /// <summary>The <c>REGISTRY_*</c> variables the AppHost was started with (the configuration path aside).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>The registry's <c>config.yml</c>: <c>--config &lt;path&gt;</c>, or Distribution's own variable.</summary>
    public const string ConfigKey = "config";
    public const string ConfigPathVariable = "REGISTRY_CONFIGURATION_PATH";

    /// <summary>The gateway serves TLS when the configuration has <c>http.tls</c>.</summary>
    public bool GatewayTls => Registry?.Http.Tls is not null;

    /// <summary>The external Redis address from <c>redis.addr</c>, when the configuration names one.</summary>
    public string? ExternalRedis => Registry?.Redis?.Addr;

    public const string GatewayPortKey = "RegistryCloud:GatewayPort";
    public const string DataDirectoryKey = "RegistryCloud:DataDirectory";
    public const string RedisKey = "RegistryCloud:Redis";
    public const string RedisServerKey = "RegistryCloud:RedisServer";
    public const string ReplicasKey = "RegistryCloud:Replicas";
    public const string HttpsPortKey = "RegistryCloud:HttpsPort";
    public const string DashboardKey = "RegistryCloud:Dashboard";
    public const string StorageKey = "RegistryCloud:Storage";
    public const string RestartOnExitKey = "RegistryCloud:RestartOnExit";
    public const string ConsoleKey = "RegistryCloud:Console";

    /// <summary>
    /// Whether the web console runs behind the gateway under <c>/console/</c> (default: yes). Off,
    /// its resource is not added and the gateway has no <c>/console/</c> route (404 there).
    /// </summary>
    public bool Console { get; init; } = true;

    /// <summary>
    /// Whether the AppHost starts a service (or its local Redis, or storage emulator) again when
    /// its process dies on its own, after a back-off (default: yes). Off, a dead process stays
    /// dead, as Aspire leaves it.
    /// </summary>
    public bool RestartOnExit { get; init; } = true;

    /// <summary>
    /// <c>RegistryCloud:Storage</c>: <c>s3</c> or <c>azure</c> start that emulator as a resource and
    /// put the registry's storage on it (local development of the object-storage drivers);
    /// <c>filesystem</c> or unset: the configuration's storage, or the data directory.
    /// </summary>
    public StorageEmulator Storage { get; init; }

    /// <summary>The value <see cref="Storage"/> was given as, for messages.</summary>
    public string StorageText { get; init; } = "filesystem";

    /// <summary>Distribution's variable for the filesystem root, which the AppHost sets from the data directory.</summary>
    public const string StorageRootVariable = "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY";

    /// <summary>Where the services keep the registry's storage below a data directory.</summary>
    public static string StorageRoot(string dataDirectory) => Path.Combine(dataDirectory, "storage");

    /// <summary>
    /// Whether the AppHost starts the Aspire dashboard (default: yes). Without it the services
    /// export no telemetry, as in a deployment without a collector. An option of the builder
    /// itself, so it is read before the builder exists: command line or environment only.
    /// </summary>
    public static bool ReadDashboard(string[] args)
    {
        var early = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var text = early[DashboardKey];
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        return bool.TryParse(text, out var enabled)
            ? enabled
            : throw new InvalidOperationException($"{DashboardKey}: '{text}' is not true or false.");
    }

    /// <summary>
    /// A second, HTTPS listener on this port with a self-signed certificate the gateway makes on
    /// first start and keeps in the data directory (<c>tls/gateway.crt</c>); the plain listener
    /// stays for the seed's insecure-localhost flow. Off unless set; not with <c>http.tls</c>.
    /// </summary>
    public int? HttpsPort { get; init; }

    /// <summary>Where the gateway keeps its self-signed certificate (<c>gateway.crt</c>) and key (<c>private/</c>).</summary>
    public string CertificateDirectory => Path.Combine(DataDirectory, "tls");

    public static AppHostSettings Read(IConfiguration configuration, string appHostDirectory)
    {
        var configPath = configuration[ConfigKey] ?? configuration[ConfigPathVariable];
        var overrides = RegistryConfigurationLoader.RegistryVariables(configuration)
            .Where(pair => pair.Key != ConfigPathVariable)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var dataDirectoryGiven = configuration[DataDirectoryKey] is { Length: > 0 };
        var dataDirectory = dataDirectoryGiven
            ? Path.GetFullPath(configuration[DataDirectoryKey]!)
            : Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".registry-data"));
        RegistryConfiguration? registry = null;
        IReadOnlyList<string> warnings = [];

        // Read here too, so a bad setting stops the whole app at once with the key named, before
        // four services each fail on it; with the storage root the services will be given (from a
        // named data directory, or the default one without a file), so a file without storage is
        // not refused.
        var seen = new Dictionary<string, string?>(overrides, StringComparer.Ordinal);
        var storageText = configuration[StorageKey] is { Length: > 0 } text ? text : "filesystem";
        var storage = storageText.ToLowerInvariant() switch
        {
            "filesystem" => StorageEmulator.None,
            "s3" => StorageEmulator.S3,
            "azure" => StorageEmulator.Azure,
            _ => throw new InvalidOperationException($"{StorageKey}: '{storageText}' is not one of filesystem, s3, azure."),
        };
        if (storage != StorageEmulator.None)
        {
            CheckEmulatorInstalled(appHostDirectory, storage, storageText);
        }
        var storageInDataDirectory = storage == StorageEmulator.None
            && (string.IsNullOrEmpty(configPath) || (dataDirectoryGiven && !ChoosesOtherStorage(configPath, overrides)));
        if (storageInDataDirectory)
        {
            seen[StorageRootVariable] = StorageRoot(dataDirectory);
        }

        if (!string.IsNullOrEmpty(configPath))
        {
            configPath = Path.GetFullPath(configPath);
            var loaded = RegistryConfigurationLoader.Load(configPath, seen);
            registry = loaded.Configuration;
            warnings = loaded.Warnings;
            RegistryConfigurationLoader.ValidateFiles(registry);
        }
        else if (overrides.Count > 0)
        {
            // Distribution's defaults with the overrides, as the services will read them: here only to warn.
            warnings = RegistryConfigurationLoader.Load(null, seen).Warnings;
        }

        var portFromConfiguration = configuration[GatewayPortKey] is null && registry?.Http.ListenAddress is not null;
        var portText = configuration[GatewayPortKey] ?? registry?.Http.ListenAddress?.Port.ToString(CultureInfo.InvariantCulture) ?? "5000";
        if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{GatewayPortKey}: '{portText}' is not a port number (1-65535).");
        }

        var redisText = configuration[RedisKey] ?? (registry?.Redis is not null ? "external" : "local");
        if (!Enum.TryParse<RedisMode>(redisText, ignoreCase: true, out var redis) || !Enum.IsDefined(redis))
        {
            throw new InvalidOperationException($"{RedisKey}: '{redisText}' is not one of local, container, none, external.");
        }

        if (redis == RedisMode.External && registry?.Redis is null)
        {
            throw new InvalidOperationException($"{RedisKey}: 'external' needs a registry configuration (--config) with redis.addr.");
        }

        // The services connect where the redis section says (its addresses, credentials and TLS
        // are applied whole), so a Redis of the AppHost's own would run unused.
        if (redis is RedisMode.Local or RedisMode.Container && registry?.Redis is { } section)
        {
            throw new InvalidOperationException(
                $"{RedisKey}: '{redisText}' starts a Redis of the AppHost's own, but the services connect to the configuration's " +
                $"redis section ({string.Join(", ", section.Addrs)}); leave {RedisKey} unset (external) or remove the redis section.");
        }

        var replicasText = configuration[ReplicasKey] ?? "1";
        if (!int.TryParse(replicasText, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) || replicas is < 1 or > MaxReplicas)
        {
            throw new InvalidOperationException($"{ReplicasKey}: '{replicasText}' is not a replica count (1-{MaxReplicas}).");
        }

        int? httpsPort = null;
        if (configuration[HttpsPortKey] is { Length: > 0 } httpsText)
        {
            if (!int.TryParse(httpsText, NumberStyles.None, CultureInfo.InvariantCulture, out var https) || https is < 1 or > 65535 || https == port)
            {
                throw new InvalidOperationException($"{HttpsPortKey}: '{httpsText}' is not a port number (1-65535) other than the gateway's {port}.");
            }

            if (registry?.Http.Tls is not null)
            {
                throw new InvalidOperationException($"{HttpsPortKey}: the configuration's http.tls already serves HTTPS on port {port}; leave {HttpsPortKey} unset.");
            }

            httpsPort = https;
        }

        var restartText = configuration[RestartOnExitKey];
        var restartOnExit = true;
        if (!string.IsNullOrEmpty(restartText) && !bool.TryParse(restartText, out restartOnExit))
        {
            throw new InvalidOperationException($"{RestartOnExitKey}: '{restartText}' is not true or false.");
        }

        var consoleText = configuration[ConsoleKey];
        var console = true;
        if (!string.IsNullOrEmpty(consoleText) && !bool.TryParse(consoleText, out console))
        {
            throw new InvalidOperationException($"{ConsoleKey}: '{consoleText}' is not true or false.");
        }

        return new AppHostSettings(port, dataDirectory, redis, configuration[RedisServerKey] ?? "redis-server", configPath, registry, dataDirectoryGiven)
        {
            Overrides = overrides,
            Replicas = replicas,
            HttpsPort = httpsPort,
            GatewayPortFromConfiguration = portFromConfiguration,
            ConfigurationWarnings = warnings,
            Storage = storage,
            StorageText = storageText,
            RestartOnExit = restartOnExit,
            Console = console,
            StorageInDataDirectory = storageInDataDirectory,
        };
    }

    /// <summary>
    /// Whether the configuration file (with the overrides) chooses a storage driver other than the
    /// filesystem, such as s3: a data directory given beside it then holds the rest of the app's data
    /// (Redis, certificates) and leaves the storage where the file puts it. A file that does not
    /// load without the data directory's root (one without storage) is read again with it below.
    /// </summary>
    private static bool ChoosesOtherStorage(string configPath, IReadOnlyDictionary<string, string?> overrides)
    {
        try
        {
            return RegistryConfigurationLoader.Load(Path.GetFullPath(configPath), overrides).Configuration.Storage.Driver
                != StorageConfiguration.FileSystemDriver;
        }
        catch (RegistryConfigurationException)
        {
            return false;
        }
    }

    /// <summary>The emulator runs on Node.js from <c>tests/servers</c>: both must be there.</summary>
    private static void CheckEmulatorInstalled(string appHostDirectory, StorageEmulator storage, string text)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "node")));
        if (!onPath)
        {
            throw new InvalidOperationException($"{StorageKey}: '{text}' runs its emulator on Node.js, which is not on PATH (apt-get install nodejs npm).");
        }

        var package = storage == StorageEmulator.S3 ? "s3rver" : "azurite";
        var servers = Path.GetFullPath(Path.Combine(appHostDirectory, "..", "tests", "servers"));
        if (!Directory.Exists(Path.Combine(servers, "node_modules", package)))
        {
            throw new InvalidOperationException($"{StorageKey}: '{text}' runs {package} from tests/servers, which is not installed; run `npm ci --prefix tests/servers` once.");
        }
    }
}

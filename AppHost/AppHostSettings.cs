using Microsoft.Extensions.Configuration;

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
}

/// <summary>
/// The AppHost's own settings, under <c>RegistryCloud:</c> (appsettings.json, environment
/// <c>RegistryCloud__GatewayPort</c>, or the command line <c>--RegistryCloud:GatewayPort=5001</c>).
/// Invalid values stop start-up with a message naming the key.
/// </summary>
internal sealed record AppHostSettings(int GatewayPort, string DataDirectory, RedisMode Redis, string RedisServer)
{
    public const string GatewayPortKey = "RegistryCloud:GatewayPort";
    public const string DataDirectoryKey = "RegistryCloud:DataDirectory";
    public const string RedisKey = "RegistryCloud:Redis";
    public const string RedisServerKey = "RegistryCloud:RedisServer";

    public static AppHostSettings Read(IConfiguration configuration, string appHostDirectory)
    {
        var portText = configuration[GatewayPortKey] ?? "5000";
        if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{GatewayPortKey}: '{portText}' is not a port number (1-65535).");
        }

        var dataDirectory = configuration[DataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".registry-data"));

        var redisText = configuration[RedisKey] ?? "local";
        if (!Enum.TryParse<RedisMode>(redisText, ignoreCase: true, out var redis) || !Enum.IsDefined(redis))
        {
            throw new InvalidOperationException($"{RedisKey}: '{redisText}' is not one of local, container, none.");
        }

        return new AppHostSettings(port, dataDirectory, redis, configuration[RedisServerKey] ?? "redis-server");
    }
}

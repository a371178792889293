using Microsoft.Extensions.DependencyInjection;

namespace RegistryCloud.AppHost.Resources;

/// <summary>
/// The Redis the services share, how they reach it, and its <c>host:port</c> as <c>redis.addr</c>
/// would name it (the connection string may carry more, such as a password).
/// </summary>
internal sealed record RegistryRedis(IResourceBuilder<IResource>? Resource, ReferenceExpression ConnectionString, ReferenceExpression Address);

internal static class RedisResources
{
    public const string ResourceName = "redis";
    public const string ConnectionStringVariable = "ConnectionStrings__redis";

    /// <summary>
    /// Adds Redis as the settings ask: a local <c>redis-server</c> executable (default), the
    /// container image, or none. A missing <c>redis-server</c> is not fatal: the registry runs
    /// with in-memory state and says how to get Redis.
    /// </summary>
    public static RegistryRedis? AddRegistryRedis(this IDistributedApplicationBuilder builder, AppHostSettings settings)
    {
        switch (settings.Redis)
        {
            case RedisMode.External:
                // redis.addr of the registry configuration: the operator runs that Redis.
                var address = settings.ExternalRedis!;
                return new RegistryRedis(null, ReferenceExpression.Create($"{address}"), ReferenceExpression.Create($"{address}"));

            case RedisMode.Container:
                var container = builder.AddRedis(ResourceName);
                var primary = container.Resource.PrimaryEndpoint;
                return new RegistryRedis(
                    container,
                    container.Resource.ConnectionStringExpression,
                    ReferenceExpression.Create($"{primary.Property(EndpointProperty.Host)}:{primary.Property(EndpointProperty.Port)}"));

            case RedisMode.Local when FindExecutable(settings.RedisServer) is { } redisServer:
                return builder.AddLocalRedis(redisServer, Path.Combine(settings.DataDirectory, "redis"));

            case RedisMode.Local:
                Console.Error.WriteLine(
                    $"warning: '{settings.RedisServer}' was not found on PATH, so RegistryCloud runs without Redis " +
                    "(caches and shared state stay in each service's memory). Install it (apt-get install redis-server), " +
                    $"or set {AppHostSettings.RedisKey}=container where a container runtime can pull images.");
                return null;

            default:
                return null;
        }
    }

    /// <summary>Points a service at Redis and makes it wait for Redis to answer.</summary>
    public static IResourceBuilder<ProjectResource> WithRegistryRedis(this IResourceBuilder<ProjectResource> project, RegistryRedis? redis) =>
        redis switch
        {
            null => project,
            { Resource: null } => project.WithEnvironment(ConnectionStringVariable, redis.ConnectionString),
            _ => project.WithEnvironment(ConnectionStringVariable, redis.ConnectionString).WaitFor(redis.Resource),
        };

    private static RegistryRedis AddLocalRedis(this IDistributedApplicationBuilder builder, string redisServer, string directory)
    {
        Directory.CreateDirectory(directory);
        var redis = builder.AddExecutable(ResourceName, redisServer, directory)
            .WithEndpoint(name: "tcp", scheme: "tcp");
        var endpoint = redis.GetEndpoint("tcp");

        // Loopback only, append-only persistence in the data directory (events must survive a restart).
        redis.WithArgs(context =>
        {
            context.Args.Add("--port");
            context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
            context.Args.Add("--bind");
            context.Args.Add("127.0.0.1");
            context.Args.Add("--dir");
            context.Args.Add(directory);
            context.Args.Add("--appendonly");
            context.Args.Add("yes");
            context.Args.Add("--save");
            context.Args.Add("");
        });

        var healthCheck = $"{ResourceName}-ping";
        builder.Services.AddHealthChecks().AddCheck(healthCheck, new RedisPingHealthCheck(endpoint));
        redis.WithHealthCheck(healthCheck);

        var connection = ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}");
        return new RegistryRedis(redis, connection, connection);
    }

    private static string? FindExecutable(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // Debian installs redis-server in /usr/bin, but a root PATH may lack sbin-like dirs; look there too.
        return File.Exists("/usr/bin/" + name) ? "/usr/bin/" + name : null;
    }
}

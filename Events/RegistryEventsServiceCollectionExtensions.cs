using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryCloud.Events.Redis;
using RegistryCloud.Hosting;
using StackExchange.Redis;

namespace RegistryCloud.Events;

public static class RegistryEventsServiceCollectionExtensions
{
    /// <summary>The Aspire connection name: <c>ConnectionStrings:redis</c>, as the AppHost passes it.</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>
    /// Registers what the handlers' event calls need. Events go to the Redis stream when Redis is
    /// configured and at least one endpoint is enabled; otherwise every call is a no-op.
    /// Instruments go on <paramref name="meterName"/>, the calling service's Meter.
    /// </summary>
    public static IHostApplicationBuilder AddRegistryEvents(this IHostApplicationBuilder builder, string meterName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(meterName);
        var hasRedis = HasRedis(builder.Configuration);
        var options = hasRedis
            ? RegistryEventsOptions.From(builder.Configuration, builder.Services.AddRegistryConfiguration(builder.Configuration))
            : new RegistryEventsOptions();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services => new RegistryEventsMetrics(services.GetRequiredService<IMeterFactory>(), meterName));
        builder.Services.AddSingleton<RegistryEventFactory>();
        builder.Services.AddSingleton<RegistryEventRecorder>();
        if (hasRedis && options.Enabled)
        {
            builder.AddRegistryRedisClient();
            builder.Services.AddSingleton<IRegistryEventPublisher, RedisStreamEventPublisher>();
        }
        else
        {
            builder.Services.AddSingleton<IRegistryEventPublisher, NullRegistryEventPublisher>();
        }

        return builder;
    }

    public static bool HasRedis(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(RedisConnectionName));

    /// <summary>
    /// Aspire's Redis client (connection, health check, traces) once per service, whichever
    /// feature asks for it first. The registry configuration's <c>redis</c> section, when there is
    /// one, says how to connect (addresses, credentials, database, timeouts, TLS, sentinel) over
    /// what the connection string says; its TLS files are read here, so a bad one stops start-up.
    /// </summary>
    public static IHostApplicationBuilder AddRegistryRedisClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(service => service.ServiceType == typeof(IConnectionMultiplexer)))
        {
            var section = builder.Services.AddRegistryConfiguration(builder.Configuration).Redis;
            var client = section is null ? null : RedisClientOptions.Load(section);
            builder.AddRedisClient(RedisConnectionName, configureOptions: options => client?.ApplyTo(options));
            builder.Services.AddSingleton<RedisConnectionLog>();
            builder.Services.AddHostedService(services => services.GetRequiredService<RedisConnectionLog>());

            // After Aspire's own configuration: the client logs through a factory that reports each
            // kind of connection failure once (see RedisClientLoggerFactory).
            builder.Services.AddSingleton<IPostConfigureOptions<ConfigurationOptions>>(services => new PostConfigureOptions<ConfigurationOptions>(
                Options.DefaultName,
                options =>
                {
                    var connections = services.GetRequiredService<RedisConnectionLog>();
                    connections.Endpoints = string.Join(", ", options.EndPoints.Select(endpoint => endpoint is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : endpoint.ToString()));
                    options.LoggerFactory = new RedisClientLoggerFactory(
                        options.LoggerFactory ?? services.GetRequiredService<ILoggerFactory>(), connections);
                }));
        }

        return builder;
    }
}

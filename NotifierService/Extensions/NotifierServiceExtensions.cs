using Microsoft.Extensions.DependencyInjection.Extensions;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.Hosting;
using RegistryCloud.NotifierService.Apis;
using RegistryCloud.NotifierService.DeadLetters;
using RegistryCloud.NotifierService.Delivery;
using RegistryCloud.NotifierService.Endpoints;
using RegistryCloud.NotifierService.Status;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Extensions;

internal static partial class NotifierServiceExtensions
{
    /// <summary>Reads <c>notifications</c> from the registry configuration the environment names.</summary>
    public static IHostApplicationBuilder AddNotifierServices(this IHostApplicationBuilder builder) =>
        builder.AddNotifierServices(builder.Services.AddRegistryConfiguration(builder.Configuration).Notifications);

    /// <summary>
    /// Delivery needs Redis (<c>ConnectionStrings:redis</c>): the stream is where events wait.
    /// Without it the service still starts, shows its configuration and says why it delivers nothing.
    /// </summary>
    public static IHostApplicationBuilder AddNotifierServices(this IHostApplicationBuilder builder, NotificationsConfiguration notifications)
    {
        var options = NotifierOptions.From(builder.Configuration, notifications);
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (!RegistryEventsServiceCollectionExtensions.HasRedis(builder.Configuration))
        {
            builder.Services.AddHostedService<NoRedisWarning>();
            return builder;
        }

        builder.AddRegistryRedisClient();
        builder.Services.AddSingleton(new EndpointStates(options.Endpoints.Select(endpoint => endpoint.Name)));
        builder.Services.AddSingleton<NotifierMetrics>();
        builder.Services.AddSingleton<EndpointStatusStore>();
        builder.Services.AddSingleton<DeadLetterStore>();
        builder.Services.AddSingleton<StreamMaintenance>();
        builder.Services.AddSingleton<EndpointStatusReader>();
        builder.Services.AddSingleton<EndpointWorkers>();
        builder.Services.AddHostedService<NotifierCoordinator>();
        return builder;
    }

    public static WebApplication MapNotifierApis(this WebApplication app)
    {
        app.UseOciExceptionHandler();
        app.MapEndpointsApi(durable: app.Services.GetService<IConnectionMultiplexer>() is not null);
        return app;
    }

    private sealed partial class NoRedisWarning(ILogger<NoRedisWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogNoRedis(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "No Redis is configured (ConnectionStrings:redis): registry events are neither kept nor delivered")]
        private static partial void LogNoRedis(ILogger logger);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.Configuration;
using RegistryCloud.Events;
using RegistryCloud.NotifierService.Extensions;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Infrastructure;

/// <summary>
/// The real NotifierService (its own service registration and API) on a free loopback port,
/// against the test Redis, with delivery timings shrunk so tests run in seconds.
/// </summary>
public sealed class NotifierHost : IAsyncDisposable
{
    private WebApplication _app = null!;

    public HttpClient Api { get; private set; } = null!;

    public string ConsumerName { get; private set; } = "";

    /// <summary>What the host logged, for a failing test to show.</summary>
    public LogCapture Logs { get; } = new(LogLevel.Information, minimumOutsideRegistryCloud: LogLevel.Warning);

    /// <summary>Settings every test host gets unless it says otherwise.</summary>
    public static Dictionary<string, string?> FastSettings(RedisServer redis, string stream) => new()
    {
        ["ConnectionStrings:redis"] = redis.ConnectionString,
        [RegistryEventsOptions.StreamKey] = stream,
        ["Notifier:LeaseTime"] = "3s",
        ["Notifier:ClaimIdleTime"] = "200ms",
        ["Notifier:PollInterval"] = "20ms",
        ["Notifier:MaintenanceInterval"] = "200ms",
        ["Notifier:MaxBackoff"] = "1s",
    };

    /// <summary>The host's services, for a test that drives a part of the notifier itself.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a notifier; <paramref name="time"/>, when given, is the clock it delivers, backs off and leases by.</summary>
    public static async Task<NotifierHost> StartAsync(
        RedisServer redis,
        string stream,
        IReadOnlyList<NotificationEndpointConfiguration> endpoints,
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null)
    {
        var all = FastSettings(redis, stream);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new NotifierHost { ConsumerName = "notifier-" + Guid.NewGuid().ToString("N")[..8] };
        all["Notifier:ConsumerName"] = host.ConsumerName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(host.Logs);
        builder.Configuration.AddInMemoryCollection(all);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddNotifierServices(new NotificationsConfiguration { Endpoints = endpoints });
        host._app = builder.Build();
        host._app.MapNotifierApis();
        await host._app.StartAsync();
        host.Api = new HttpClient { BaseAddress = new Uri(host._app.Urls.First()) };
        return host;
    }

    public static NotificationEndpointConfiguration Endpoint(string name, Uri url, TimeSpan? timeout = null, int threshold = 10, TimeSpan? backoff = null) => new()
    {
        Name = name,
        Url = url.ToString(),
        Timeout = timeout ?? TimeSpan.FromSeconds(2),
        Threshold = threshold,
        Backoff = backoff ?? TimeSpan.FromMilliseconds(50),
    };

    /// <summary>The endpoints this host delivers to, as <c>GET /endpoints</c> reports the lease owners.</summary>
    public async Task<IReadOnlyList<string>> OwnedEndpointsAsync()
    {
        using var document = JsonDocument.Parse(await Api.GetStringAsync("/endpoints"));
        return [.. document.RootElement.GetProperty("endpoints").EnumerateArray()
            .Where(e => e.TryGetProperty("owner", out var owner) && owner.GetString() == ConsumerName)
            .Select(e => e.GetProperty("name").GetString()!)];
    }

    public async Task<JsonElement> GetJsonAsync(string path) =>
        (await Api.GetFromJsonAsync<JsonElement>(path))!;

    /// <summary>A graceful stop, as on a rolling restart.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        await _app.DisposeAsync();
    }
}

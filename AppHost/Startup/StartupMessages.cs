using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RegistryCloud.Configuration;

namespace RegistryCloud.AppHost.Startup;

/// <summary>
/// The AppHost's own console lines: where the registry, its data and the dashboard are once it is
/// ready, and one plain line for each thing that goes wrong — no stack traces, which are in the
/// resource's log (the dashboard's console logs).
/// </summary>
internal static class StartupMessages
{
    private const int MaxReasonLength = 400;

    /// <summary>
    /// What a person needs once the gateway answers: its address (and the HTTPS one), where the
    /// data goes, where Redis keeps its state, and the dashboard's login address or that there is none.
    /// </summary>
    public static IReadOnlyList<string> Ready(AppHostSettings settings, string redis, string? dashboard)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var scheme = settings.GatewayTls ? "https" : "http";
        var port = settings.GatewayPort.ToString(CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"RegistryCloud is ready at {scheme}://localhost:{port} (docker push localhost:{port}/<name>:<tag>)",
        };
        if (settings.HttpsPort is { } https)
        {
            lines.Add($"  https:     https://localhost:{https.ToString(CultureInfo.InvariantCulture)} (self-signed; its certificate is {Path.Combine(settings.CertificateDirectory, "gateway.crt")})");
        }

        lines.Add($"  storage:   {Storage(settings)}");
        lines.Add($"  redis:     {redis}");
        lines.Add(dashboard is null
            ? $"  dashboard: off ({AppHostSettings.DashboardKey}=false); the services export no telemetry"
            : $"  dashboard: {dashboard}");
        return lines;
    }

    /// <summary>How Redis is provided, for <see cref="Ready"/>; <paramref name="started"/> is false when the AppHost started none.</summary>
    public static string Redis(AppHostSettings settings, bool started)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return (settings.Redis, started) switch
        {
            (RedisMode.External, _) => $"{settings.ExternalRedis} (redis.addr)",
            (RedisMode.Container, _) => "the redis container image",
            (RedisMode.Local, true) => $"redis-server, its data in {Path.Combine(settings.DataDirectory, "redis")}",
            _ => "none: caches and shared state stay in each service's memory",
        };
    }

    /// <summary>Where the registry's data goes, as the services will be told.</summary>
    public static string Storage(AppHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Storage != StorageEmulator.None)
        {
            return $"{(settings.Storage == StorageEmulator.S3 ? "s3rver" : "Azurite")} ({AppHostSettings.StorageKey}={settings.StorageText}), its data in "
                + Path.Combine(settings.DataDirectory, settings.Storage == StorageEmulator.S3 ? "s3rver" : "azurite");
        }

        if (settings.StorageInDataDirectory)
        {
            return AppHostSettings.StorageRoot(settings.DataDirectory);
        }

        return settings.Registry?.Storage switch
        {
            { FileSystem: { } fileSystem } => $"{fileSystem.RootDirectory} (storage.filesystem.rootdirectory)",
            { Driver: StorageConfiguration.InMemoryDriver } => "in memory (storage: inmemory): gone when the registry stops",
            { } storage => $"the {storage.Driver} driver (storage.{storage.Driver})",
            null => AppHostSettings.StorageRoot(settings.DataDirectory),
        };
    }

    /// <summary>The dashboard's login address from the AppHost's settings (the browser token, when there is one).</summary>
    public static string Dashboard(string? urls, string? browserToken)
    {
        var url = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(url))
        {
            return "on (its address is printed above)";
        }

        url = url.TrimEnd('/');
        return string.IsNullOrEmpty(browserToken) ? url : $"{url}/login?t={browserToken}";
    }

    /// <summary>A resource that stopped: one line, with the reason its log gives when there is one.</summary>
    public static string Stopped(string resource, string? state, int? exitCode, string? reason, bool dashboard)
    {
        var what = state == KnownResourceStates.FailedToStart
            ? $"{resource} failed to start"
            : $"{resource} stopped (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"})";
        var level = dashboard && exitCode == 0 ? "note" : "error";
        var because = reason is null ? "" : $": {reason}";
        var next = dashboard ? "; its log is in the dashboard" : "; RegistryCloud stops";
        return $"{level}: {what}{because}{next}";
    }

    /// <summary>A process that died after it had worked, which the AppHost restarts: one line, with the reason its log gives.</summary>
    public static string Died(string resource, int? exitCode, string? reason)
    {
        var because = reason is null ? "" : $": {reason}";
        return $"error: {resource} stopped (exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}){because}; "
            + $"the AppHost restarts it after a back-off ({AppHostSettings.RestartOnExitKey})";
    }

    /// <summary>A resource stopped on request, which stays stopped until started again.</summary>
    public static string StoppedOnRequest(string resource) => $"note: {resource} was stopped on request; it stays stopped until started again";

    /// <summary>A resource whose health check fails after it was healthy: the check's own words, without its exception.</summary>
    public static string Unhealthy(string resource, IEnumerable<HealthReportSnapshot> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var failing = reports.FirstOrDefault(report => report.Status != HealthStatus.Healthy);
        var description = failing?.Description is { Length: > 0 } text ? $": {OneLine(text)}" : "";
        return $"warning: {resource} is unhealthy{description}";
    }

    public static string Recovered(string resource) => $"{resource} is healthy again";

    /// <summary>Text as one line of at most a few hundred characters.</summary>
    public static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxReasonLength ? line : string.Concat(line.AsSpan(0, MaxReasonLength), "...");
    }
}

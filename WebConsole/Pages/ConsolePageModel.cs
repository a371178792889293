using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>
/// What every page shares: a registry refusal becomes a message on the page, and 401 (anonymous
/// browsing not allowed, or a session whose password no longer works) sends the user to sign in.
/// </summary>
public abstract class ConsolePageModel : PageModel
{
    /// <summary>The build's version, shown in the footer and on the status page.</summary>
    public static string Version { get; } =
        typeof(ConsolePageModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>The registry's refusal, shown in an alert.</summary>
    public string? Problem { get; protected set; }

    internal async Task<IActionResult> ReadAsync(Func<Task> read)
    {
        try
        {
            await read();
            return Page();
        }
        catch (RegistryRefusedException e) when (e.IsAuthenticationRequired)
        {
            return RedirectToPage("/Login", new { returnUrl = Request.PathBase + Request.Path + Request.QueryString });
        }
        catch (RegistryRefusedException e)
        {
            Problem = e.Message;
            Response.StatusCode = (int)e.Status is >= 400 and < 600 ? (int)e.Status : StatusCodes.Status502BadGateway;
            return Page();
        }
        catch (HttpRequestException)
        {
            Problem = "The registry could not be reached; try again.";
            Response.StatusCode = StatusCodes.Status502BadGateway;
            return Page();
        }
    }

    /// <summary>The host users pull from: the configured one, or the host the browser used.</summary>
    internal static string PullHost(HttpRequest request, WebConsoleOptions options) => options.PullHost ?? request.Host.Value ?? "localhost:5000";

    internal static string FormatSize(long? bytes) => bytes switch
    {
        null => "–",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    /// <summary>A time as the pages show it: minutes, in UTC.</summary>
    internal static string FormatTime(DateTimeOffset? at) =>
        at is { } time ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) : "–";

    /// <summary>An interval: "24 h", "30 min".</summary>
    internal static string FormatDuration(TimeSpan duration) => duration.TotalHours >= 1
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{duration.TotalHours:0.##} h")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.##} min");

    /// <summary>How long ago, roughly: "just now", "3 min ago", "2 h ago", "4 days ago".</summary>
    internal static string FormatAge(TimeSpan age) => age switch
    {
        { TotalMinutes: < 1 } => "just now",
        { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min ago",
        { TotalDays: < 2 } => $"{(int)age.TotalHours} h ago",
        _ => $"{(int)age.TotalDays} days ago",
    };

    internal static string ShortDigest(string? digest) =>
        digest is null ? "–" : digest.Length > 19 && digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[..19] : digest;
}

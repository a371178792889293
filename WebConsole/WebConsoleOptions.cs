namespace RegistryCloud.WebConsole;

/// <summary>
/// <c>WebConsole:</c> settings. <c>WebConsole:Registry</c> is the registry API the console calls
/// for the signed-in user: the gateway (service discovery's <c>http://gateway</c> under the
/// AppHost), never a service behind it, so every access decision stays the gateway's.
/// </summary>
public sealed class WebConsoleOptions
{
    public const string Section = "WebConsole";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    /// <summary>The gateway's base address.</summary>
    public Uri? Registry { get; set; }

    /// <summary>
    /// A PEM certificate the gateway serves (<c>http.tls.certificate</c>), trusted for calls to
    /// <see cref="Registry"/> even when it is self-signed; other certificates must chain to a trusted root.
    /// </summary>
    public string? RegistryCertificate { get; set; }

    /// <summary>
    /// The address users pull from, for the copyable pull command (<c>localhost:5000</c>); by
    /// default the host the browser reached the console on.
    /// </summary>
    public string? PullHost { get; set; }

    /// <summary>NotifierService's base address for the status page's webhook delivery status; unset: not shown.</summary>
    public Uri? Notifier { get; set; }

    /// <summary>
    /// BlobService's base address for the status page's storage used and garbage collection
    /// (its <c>GET /status</c>, which the gateway does not route); unset: not shown.
    /// </summary>
    public Uri? Blobs { get; set; }

    /// <summary>Sign-in attempts per client address per minute (the gateway's per-client limit does not see the console's form).</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;
}

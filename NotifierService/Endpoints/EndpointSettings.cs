using RegistryCloud.Configuration;

namespace RegistryCloud.NotifierService.Endpoints;

/// <summary>
/// One webhook endpoint as the notifier uses it: <c>notifications.endpoints[]</c> with
/// Distribution's defaults for zero values (1s timeout, threshold 10, 1s backoff), both ignore
/// lists merged as Distribution merges them, and RegistryCloud's optional signing secret.
/// </summary>
internal sealed record EndpointSettings
{
    public const string DefaultSignatureHeader = "X-Registry-Signature-256";

    public required string Name { get; init; }

    public required Uri Url { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public int Threshold { get; init; } = 10;

    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    public IReadOnlySet<string> IgnoredMediaTypes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public IReadOnlySet<string> IgnoredActions { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>A disabled endpoint receives nothing and has no worker.</summary>
    public bool Disabled { get; init; }

    /// <summary>When set, each request carries an HMAC-SHA256 of its body in <see cref="SignatureHeader"/>.</summary>
    public string? Secret { get; init; }

    public string SignatureHeader { get; init; } = DefaultSignatureHeader;

    /// <summary>Distribution's ignoredSink: a listed target media type or action is never sent.</summary>
    public bool Ignores(string action, string mediaType) =>
        IgnoredActions.Contains(action) || (mediaType.Length > 0 && IgnoredMediaTypes.Contains(mediaType));

    public static EndpointSettings From(NotificationEndpointConfiguration endpoint, string? secret, string? signatureHeader)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"notifications.endpoints[{endpoint.Name}].url: '{endpoint.Url}' is not an absolute http(s) URL.");
        }

        return new EndpointSettings
        {
            Name = endpoint.Name,
            Url = url,
            Headers = endpoint.Headers,
            Timeout = endpoint.Timeout > TimeSpan.Zero ? endpoint.Timeout : TimeSpan.FromSeconds(1),
            Threshold = endpoint.Threshold > 0 ? endpoint.Threshold : 10,
            Backoff = endpoint.Backoff > TimeSpan.Zero ? endpoint.Backoff : TimeSpan.FromSeconds(1),
            IgnoredMediaTypes = new HashSet<string>(endpoint.IgnoredMediaTypes.Concat(endpoint.IgnoreMediaTypes), StringComparer.Ordinal),
            IgnoredActions = new HashSet<string>(endpoint.IgnoreActions, StringComparer.Ordinal),
            Disabled = endpoint.Disabled,
            Secret = string.IsNullOrEmpty(secret) ? null : secret,
            SignatureHeader = string.IsNullOrWhiteSpace(signatureHeader) ? DefaultSignatureHeader : signatureHeader,
        };
    }

    /// <summary>The URL without credentials or query, safe to show.</summary>
    public string DisplayUrl => Url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}

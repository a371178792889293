using System.Text.RegularExpressions;
using RegistryCloud.Configuration;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>
/// <c>validation.manifests.urls</c>: every URL a layer descriptor names must be absolute
/// http(s) without a fragment, match an <c>allow</c> expression when any is configured, and match
/// no <c>deny</c> expression — Distribution's rule. A foreign layer must name at least one URL.
/// <c>validation.disabled</c> turns the expressions off, as in Distribution, whose other URL
/// checks stay.
/// </summary>
internal sealed class LayerUrlPolicy
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex[] _allow;
    private readonly Regex[] _deny;

    public LayerUrlPolicy(RegistryConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var validation = configuration.Validation;
        _allow = validation.Disabled ? [] : [.. validation.ManifestUrlsAllow.Select(Compile)];
        _deny = validation.Disabled ? [] : [.. validation.ManifestUrlsDeny.Select(Compile)];
    }

    /// <summary>Why the manifest's layer URLs are refused, or null when they are acceptable.</summary>
    public string? Check(ManifestDocument document)
    {
        // Blobs holds the config first, then the layers.
        for (var i = 1; i < document.Blobs.Count; i++)
        {
            var layer = document.Blobs[i];
            if (!layer.HasUrls && layer.MediaType is "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")
            {
                return $"layers[{i - 1}]: a foreign layer must name its urls";
            }

            foreach (var url in layer.Urls)
            {
                if (!IsAllowed(url))
                {
                    return $"layers[{i - 1}].urls: '{url}' is not allowed (validation.manifests.urls)";
                }
            }
        }

        return null;
    }

    private bool IsAllowed(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.Fragment.Length == 0
        && (_allow.Length == 0 || _allow.Any(pattern => pattern.IsMatch(url)))
        && !_deny.Any(pattern => pattern.IsMatch(url));

    private static Regex Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant, MatchTimeout);
}

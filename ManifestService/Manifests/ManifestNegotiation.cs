using System.Text.Json;
using Microsoft.Extensions.Primitives;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>The outcome of matching a stored manifest against a request's <c>Accept</c> header.</summary>
internal enum NegotiationOutcome
{
    /// <summary>Serve the stored manifest.</summary>
    Serve,

    /// <summary>Serve the linux/amd64 child of a manifest list instead (<see cref="ManifestNegotiation.PlatformChild"/>).</summary>
    ServePlatformChild,

    /// <summary>The client cannot read what is stored: <c>MANIFEST_UNKNOWN</c>, as Distribution answers.</summary>
    NotAcceptable,
}

/// <summary>
/// Distribution's content negotiation for manifest GETs (registry/handlers/manifests.go): an OCI
/// manifest or index is only served to clients that accept it, and an old client asking for a
/// Docker manifest list by tag gets its linux/amd64 image. A request without <c>Accept</c>, or
/// accepting anything, gets what is stored.
/// </summary>
internal static class ManifestNegotiation
{
    public static NegotiationOutcome Decide(StringValues acceptHeaders, string storedMediaType, bool byTag)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in acceptHeaders)
        {
            foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var semicolon = part.IndexOf(';', StringComparison.Ordinal);
                accepted.Add((semicolon >= 0 ? part[..semicolon] : part).Trim());
            }
        }

        if (accepted.Count == 0 || accepted.Contains("*/*") || accepted.Contains(storedMediaType))
        {
            return NegotiationOutcome.Serve;
        }

        return storedMediaType switch
        {
            MediaTypes.OciImageManifest or MediaTypes.OciImageIndex => NegotiationOutcome.NotAcceptable,
            MediaTypes.DockerManifestList when byTag => NegotiationOutcome.ServePlatformChild,
            _ => NegotiationOutcome.Serve,
        };
    }

    /// <summary>The linux/amd64 entry of a manifest list, or null when it has none.</summary>
    public static Digest? PlatformChild(ReadOnlySpan<byte> manifestList)
    {
        try
        {
            var reader = new Utf8JsonReader(manifestList);
            using var document = JsonDocument.ParseValue(ref reader);
            if (!document.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var entry in manifests.EnumerateArray())
            {
                if (entry.TryGetProperty("platform", out var platform)
                    && platform.ValueKind == JsonValueKind.Object
                    && platform.TryGetProperty("architecture", out var architecture) && architecture.ValueEquals("amd64")
                    && platform.TryGetProperty("os", out var os) && os.ValueEquals("linux")
                    && entry.TryGetProperty("digest", out var digest)
                    && Digest.TryParse(digest.GetString(), out var parsed))
                {
                    return parsed;
                }
            }
        }
        catch (JsonException)
        {
            // Stored bytes were validated at push; a list that no longer parses has no child to offer.
        }

        return null;
    }
}

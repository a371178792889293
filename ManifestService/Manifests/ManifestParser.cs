using System.Text.Json;
using System.Text.Unicode;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Manifests;

/// <summary>
/// Parses and validates a pushed manifest against its media type: Docker schema2 and manifest
/// list, OCI image manifest and index (image-spec manifest.md, image-index.md). Schema1 is refused.
/// </summary>
internal static class ManifestParser
{
    public static bool TryParse(ReadOnlySpan<byte> content, string? contentType, out ManifestDocument? document, out string error)
    {
        document = null;
        error = "";
        if (UnreadableText(content) is { } unreadable)
        {
            error = unreadable;
            return false;
        }

        JsonDocument json;
        try
        {
            var reader = new Utf8JsonReader(content);
            json = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            error = $"manifest is not valid JSON: {e.Message}";
            return false;
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "manifest must be a JSON object";
                return false;
            }

            var declared = NormalizeContentType(contentType);
            var bodyMediaType = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            var schemaVersion = root.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.TryGetInt32(out var v) ? v : 0;

            if (schemaVersion == 1 || MediaTypes.IsSchema1(declared ?? "") || MediaTypes.IsSchema1(bodyMediaType ?? ""))
            {
                error = "Docker schema1 manifests are not supported; push with a client that writes Docker schema2 or OCI manifests";
                return false;
            }

            if (schemaVersion != 2)
            {
                error = "schemaVersion must be 2";
                return false;
            }

            if (declared is not null && bodyMediaType is not null && declared != bodyMediaType)
            {
                error = $"mediaType '{bodyMediaType}' in the manifest does not match Content-Type '{declared}'";
                return false;
            }

            var mediaType = declared ?? bodyMediaType
                ?? (root.TryGetProperty("manifests", out _) ? MediaTypes.OciImageIndex : MediaTypes.OciImageManifest);

            if (!TryReadDescriptor(root, "subject", required: false, out var subject, out error))
            {
                return false;
            }

            var artifactType = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;

            if (MediaTypes.IsImageManifest(mediaType))
            {
                if (!TryReadDescriptor(root, "config", required: true, out var config, out error)
                    || !TryReadDescriptors(root, "layers", out var layers, out error))
                {
                    return false;
                }

                document = new ManifestDocument(mediaType, [config!, .. layers], [], subject, artifactType) { Annotations = ReadAnnotations(root) };
                return true;
            }

            if (MediaTypes.IsIndex(mediaType))
            {
                if (!TryReadDescriptors(root, "manifests", out var manifests, out error))
                {
                    return false;
                }

                document = new ManifestDocument(mediaType, [], manifests, subject, artifactType) { Annotations = ReadAnnotations(root) };
                return true;
            }

            error = $"unsupported manifest media type '{mediaType}'";
            return false;
        }
    }

    /// <summary>
    /// Why a string of the document cannot be read as text, or null. The JSON reader checks
    /// structure, not text: bytes that are not UTF-8, or an escaped half of a surrogate pair
    /// (<c>"\ud800"</c>), fail only when a string is read, which would be in the middle of validation.
    /// Escaped strings are the only ones left to read once the whole body is UTF-8.
    /// </summary>
    private static string? UnreadableText(ReadOnlySpan<byte> content)
    {
        if (!Utf8.IsValid(content))
        {
            return "manifest is not valid UTF-8";
        }

        var reader = new Utf8JsonReader(content);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the parse that follows says where.
            return null;
        }
        catch (InvalidOperationException)
        {
            return $"manifest has a string with an escaped lone surrogate (at byte {reader.TokenStartIndex}); no text holds one";
        }

        return null;
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement root)
    {
        if (!root.TryGetProperty("annotations", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                annotations[property.Name] = property.Value.GetString()!;
            }
        }

        return annotations;
    }

    /// <summary>Drops parameters and treats a bare JSON type as "not said".</summary>
    private static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return type is "" or MediaTypes.Json or "text/plain" ? null : type;
    }

    private static bool TryReadDescriptors(JsonElement root, string property, out List<ManifestDescriptor> descriptors, out string error)
    {
        descriptors = [];
        error = "";
        if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            error = $"'{property}' must be an array";
            return false;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (!TryParseDescriptor(element, $"{property}[{index}]", out var descriptor, out error))
            {
                return false;
            }

            descriptors.Add(descriptor);
            index++;
        }

        return true;
    }

    private static bool TryReadDescriptor(JsonElement root, string property, bool required, out ManifestDescriptor? descriptor, out string error)
    {
        descriptor = null;
        error = "";
        if (!root.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error = $"'{property}' is required";
            }

            return !required;
        }

        if (!TryParseDescriptor(element, property, out var parsed, out error))
        {
            return false;
        }

        descriptor = parsed;
        return true;
    }

    private static bool TryParseDescriptor(JsonElement element, string where, out ManifestDescriptor descriptor, out string error)
    {
        descriptor = null!;
        error = "";
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} must be a descriptor object";
            return false;
        }

        var mediaType = element.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
        if (string.IsNullOrEmpty(mediaType))
        {
            error = $"{where}.mediaType is required";
            return false;
        }

        var digestText = element.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!Digest.TryParse(digestText, out var digest))
        {
            error = $"{where}.digest '{digestText}' is not a valid digest";
            return false;
        }

        if (!element.TryGetProperty("size", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var size) || size < 0)
        {
            error = $"{where}.size must be a non-negative integer";
            return false;
        }

        var urls = new List<string>();
        if (element.TryGetProperty("urls", out var urlArray) && urlArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var url in urlArray.EnumerateArray())
            {
                if (url.ValueKind != JsonValueKind.String)
                {
                    error = $"{where}.urls must be strings";
                    return false;
                }

                urls.Add(url.GetString()!);
            }
        }

        descriptor = new ManifestDescriptor(mediaType, digest, size, urls.Count > 0) { Urls = urls };
        return true;
    }
}

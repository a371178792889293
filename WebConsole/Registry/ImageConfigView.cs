using System.Text.Json;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>One step of an image's history.</summary>
public sealed record HistoryView(string? Created, string? CreatedBy, bool EmptyLayer);

/// <summary>
/// What an image config says (OCI image spec, "Image Configuration"; Docker's config has the same
/// fields): when it was made, for which platform, how it starts, its environment, labels and history.
/// </summary>
public sealed record ImageConfigView(
    string? Created,
    string Platform,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    IReadOnlyList<HistoryView> History)
{
    public static ImageConfigView? TryParse(byte[] content)
    {
        try
        {
            using var json = JsonDocument.Parse(content);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var config = root.TryGetProperty("config", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : default;
            var platform = string.Join('/', new[] { ManifestView.String(root, "os"), ManifestView.String(root, "architecture"), ManifestView.String(root, "variant") }
                .Where(part => !string.IsNullOrEmpty(part)));
            return new ImageConfigView(
                ManifestView.String(root, "created"),
                platform,
                Strings(config, "Entrypoint"),
                Strings(config, "Cmd"),
                Strings(config, "Env"),
                config.ValueKind == JsonValueKind.Object && config.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                    ? [.. labels.EnumerateObject().Select(pair => KeyValuePair.Create(pair.Name, pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText()))]
                    : [],
                root.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Array
                    ? [.. history.EnumerateArray().Where(step => step.ValueKind == JsonValueKind.Object).Select(step => new HistoryView(
                        ManifestView.String(step, "created"),
                        ManifestView.String(step, "created_by"),
                        step.TryGetProperty("empty_layer", out var empty) && empty.ValueKind == JsonValueKind.True))]
                    : []);
        }
        catch (JsonException)
        {
            // Not JSON (an artifact's config may be anything): nothing to show.
            return null;
        }
    }

    private static IReadOnlyList<string> Strings(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]
            : [];
}

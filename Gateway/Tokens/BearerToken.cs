using System.Text;
using System.Text.Json;
using RegistryCloud.Gateway.Authorization;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// A compact JWS as the token spec shapes it, parsed but not yet trusted: the header fields that
/// find the signing key (<c>alg</c>, <c>kid</c>, <c>x5c</c>, <c>jwk</c>) and the claims the
/// registry checks. <see cref="TryParse"/> refuses anything malformed without throwing.
/// </summary>
internal sealed class BearerToken
{
    private BearerToken(string signedPart, byte[] signature, JsonElement header, TokenClaims claims)
    {
        SignedPart = signedPart;
        Signature = signature;
        Claims = claims;
        Algorithm = Text(header, "alg") ?? "";
        KeyId = Text(header, "kid");
        CertificateChain = header.TryGetProperty("x5c", out var x5c) && x5c.ValueKind == JsonValueKind.Array
            ? [.. x5c.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString() ?? "" : "")]
            : [];
        JsonWebKey = header.TryGetProperty("jwk", out var jwk) ? jwk.Clone() : null;
    }

    /// <summary>The header and payload exactly as sent: what the signature covers.</summary>
    public string SignedPart { get; }

    public byte[] Signature { get; }

    public string Algorithm { get; }

    public string? KeyId { get; }

    public IReadOnlyList<string> CertificateChain { get; }

    public JsonElement? JsonWebKey { get; }

    public TokenClaims Claims { get; }

    public static bool TryParse(string raw, out BearerToken token)
    {
        token = null!;
        var parts = raw.Split('.');
        if (raw.Length > 64 * 1024 || parts.Length != 3)
        {
            return false;
        }

        try
        {
            using var header = JsonDocument.Parse(TokenKeyIds.FromBase64Url(parts[0]));
            using var payload = JsonDocument.Parse(TokenKeyIds.FromBase64Url(parts[1]));
            if (header.RootElement.ValueKind != JsonValueKind.Object || TokenClaims.Read(payload.RootElement) is not { } claims)
            {
                return false;
            }

            token = new BearerToken($"{parts[0]}.{parts[1]}", TokenKeyIds.FromBase64Url(parts[2]), header.RootElement.Clone(), claims);
            return true;
        }
        catch (Exception error) when (error is FormatException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    public ReadOnlySpan<byte> SignedBytes => Encoding.ASCII.GetBytes(SignedPart);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The claims the registry reads: <c>iss</c>, <c>sub</c>, <c>aud</c> (one or many), <c>exp</c>, <c>nbf</c> and <c>access</c>.</summary>
internal sealed record TokenClaims(
    string Issuer, string Subject, IReadOnlyList<string> Audiences, long? Expires, long? NotBefore, IReadOnlyList<ResourceAccess> Access)
{
    public static TokenClaims? Read(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        IReadOnlyList<string> audiences = payload.TryGetProperty("aud", out var aud) ? aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)],
            _ => [],
        } : [];
        var access = new List<ResourceAccess>();
        if (payload.TryGetProperty("access", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && Text(entry, "type") is { } type && Text(entry, "name") is { } name
                    && entry.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
                {
                    access.Add(new ResourceAccess(type, name,
                        [.. actions.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]));
                }
            }
        }

        return new TokenClaims(Text(payload, "iss") ?? "", Text(payload, "sub") ?? "", audiences, Number(payload, "exp"), Number(payload, "nbf"), access);
    }

    /// <summary>True when some <c>access</c> entry for the resource grants the action ("*" grants all).</summary>
    public bool Grants(string type, string name, string action) =>
        Access.Any(entry => entry.Type == type && entry.Name == name && entry.Allows(action));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var whole) ? whole : (long)value.GetDouble()
            : null;
}

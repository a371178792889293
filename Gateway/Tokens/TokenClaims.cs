using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using RegistryCloud.Gateway.Authorization;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// What the registry reads from a verified token: its subject, Distribution's <c>access</c> claim
/// (a list of <c>{type, name, actions}</c>, which no JWT library knows), and the lifetime
/// <see cref="TokenVerifier"/> checks again each time it meets a token it remembers.
/// </summary>
internal sealed record TokenClaims(string Subject, IReadOnlyList<ResourceAccess> Access, DateTime NotBefore, DateTime Expires)
{
    /// <summary>The claim name, in tokens read and issued alike.</summary>
    public const string AccessClaim = "access";

    /// <summary>
    /// The claims of a token the handler has validated. An <c>access</c> entry that is not an
    /// object with a string <c>type</c> and <c>name</c> and an <c>actions</c> list is skipped, and
    /// so is an action that is not a string: either grants nothing.
    /// </summary>
    public static TokenClaims Read(JsonWebToken token)
    {
        var access = new List<ResourceAccess>();
        if (token.TryGetPayloadValue<JsonElement>(AccessClaim, out var list) && list.ValueKind == JsonValueKind.Array)
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

        // ValidFrom is DateTime.MinValue without nbf; a validated token always has exp.
        return new TokenClaims(token.Subject ?? "", access, token.ValidFrom, token.ValidTo);
    }

    /// <summary>The <c>access</c> claim as the token handler writes it: a list of <c>{type, name, actions}</c>.</summary>
    public static List<object> ToClaim(IReadOnlyList<ResourceAccess> access) =>
        [.. access.Select(entry => new Dictionary<string, object> { ["type"] = entry.Type, ["name"] = entry.Name, ["actions"] = entry.Actions.ToList() })];

    /// <summary>True when some <c>access</c> entry for the resource grants the action ("*" grants all).</summary>
    public bool Grants(string type, string name, string action) =>
        Access.Any(entry => entry.Type == type && entry.Name == name && entry.Allows(action));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

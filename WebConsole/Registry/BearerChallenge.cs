using System.Net.Http.Headers;
using RegistryCloud.Oci;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>
/// <c>WWW-Authenticate: Bearer realm="...",service="...",scope="..."</c> as the gateway writes it
/// under <c>auth.token</c> (Docker token authentication spec).
/// </summary>
public sealed record BearerChallenge(string Realm, string? Service, string? Scope)
{
    public static BearerChallenge? Parse(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        foreach (var header in headers)
        {
            if (string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
            {
                var values = ChallengeParameters.Read(parameter);
                if (values.TryGetValue("realm", out var realm) && realm.Length > 0)
                {
                    return new BearerChallenge(realm, values.GetValueOrDefault("service"), values.GetValueOrDefault("scope"));
                }
            }
        }

        return null;
    }
}

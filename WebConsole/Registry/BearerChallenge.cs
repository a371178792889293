using System.Net.Http.Headers;

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
                var values = ReadParameters(parameter);
                if (values.TryGetValue("realm", out var realm) && realm.Length > 0)
                {
                    return new BearerChallenge(realm, values.GetValueOrDefault("service"), values.GetValueOrDefault("scope"));
                }
            }
        }

        return null;
    }

    /// <summary>Reads <c>key="quoted value",key2=token</c>; a backslash escapes the next character in quotes.</summary>
    internal static Dictionary<string, string> ReadParameters(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || text[i] == ' '))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = text[i..equals].Trim();
            i = equals + 1;
            var value = new System.Text.StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i++]);
                }
            }

            values[key] = value.ToString().Trim();
        }

        return values;
    }
}

using System.Text;

namespace RegistryCloud.Oci;

/// <summary>
/// The <c>key="value"</c> pairs of a <c>WWW-Authenticate</c> challenge (RFC 9110 §11.2), as a
/// registry's Bearer challenge carries realm, service and scope (Docker token authentication).
/// Read by the pull-through cache (an upstream's challenge) and the web console (the gateway's).
/// </summary>
public static class ChallengeParameters
{
    /// <summary>
    /// Reads the parameters after the scheme. A quoted value may hold commas, and a backslash in it
    /// escapes the next character; an unquoted value ends at the next comma and is trimmed. Names
    /// compare without case; a later repeat of a name wins.
    /// </summary>
    public static Dictionary<string, string> Read(string? text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (text is not null && i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
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
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new StringBuilder();
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    builder.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                }

                i++;
                value = builder.ToString();
            }
            else
            {
                var end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                value = text[i..end].Trim();
                i = end;
            }

            parameters[key] = value;
        }

        return parameters;
    }
}

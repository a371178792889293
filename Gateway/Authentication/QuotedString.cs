using System.Text;

namespace RegistryCloud.Gateway.Authentication;

/// <summary>
/// Writes a value as an RFC 9110 §5.6.4 quoted-string for a <c>WWW-Authenticate</c> parameter.
/// Values come from configuration and, for a realm, from the request's host: a <c>"</c> would end
/// the parameter early and let the rest pose as parameters of its own, a <c>\</c> is read as an
/// escape by some clients and not by others, and CR, LF or any other control character would end
/// the header. So all of them, and anything outside printable ASCII, are left out rather than
/// escaped: no value the gateway writes needs them.
/// </summary>
internal static class QuotedString
{
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is >= ' ' and <= '~' and not ('"' or '\\'))
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary><c>Basic realm="..."</c>, the challenge of <c>auth.htpasswd</c> and of the token service.</summary>
    public static string BasicChallenge(string realm) => "Basic realm=" + Quote(realm);
}

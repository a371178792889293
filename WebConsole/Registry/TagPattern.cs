using System.Text.RegularExpressions;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>
/// The repository page's tag filter: a glob (<c>v1.*</c>, <c>*-alpine</c>, <c>?.?</c>) matched
/// against the whole tag, or, without <c>*</c> or <c>?</c>, a substring. Case-insensitive.
/// </summary>
public static class TagPattern
{
    public static Func<string, bool> Compile(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return _ => true;
        }

        var text = pattern.Trim();
        if (text.IndexOfAny(['*', '?']) < 0)
        {
            return tag => tag.Contains(text, StringComparison.OrdinalIgnoreCase);
        }

        // Every other character is escaped: a pattern can only ever mean a glob.
        var regex = new Regex(
            "^" + Regex.Escape(text).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromMilliseconds(100));
        return tag => regex.IsMatch(tag);
    }
}

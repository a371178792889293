using System.Text;
using System.Text.RegularExpressions;

namespace RegistryCloud.Oci;

/// <summary>
/// A repository (or tag) pattern: <c>*</c> matches within one path segment, <c>**</c> across
/// segments, everything else literally. <see cref="Specificity"/> counts the literal characters,
/// so that of two matching rules the longer (more specific) pattern wins. Access control and the
/// lifecycle policies name repositories this way; tags, which have no <c>/</c>, too.
/// </summary>
public sealed class RepositoryGlob
{
    private readonly Regex _regex;

    public RepositoryGlob(string pattern)
    {
        Pattern = pattern;
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '*')
            {
                builder.Append(Regex.Escape(pattern[i].ToString()));
                Specificity++;
            }
            else if (i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                builder.Append(".*");
                i++;
            }
            else
            {
                builder.Append("[^/]*");
            }
        }

        _regex = new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
    }

    public string Pattern { get; }

    public int Specificity { get; }

    public bool IsMatch(string repository) => _regex.IsMatch(repository);
}

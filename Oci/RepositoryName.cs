using System.Diagnostics.CodeAnalysis;

namespace RegistryCloud.Oci;

/// <summary>
/// Repository name grammar from the OCI distribution spec (spec.md#pulling-manifests):
/// <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*</c>,
/// at most 255 characters as Distribution enforces. Checked by hand: every request
/// passes through here before any storage path is drawn from the name.
/// </summary>
public static class RepositoryName
{
    public const int MaxLength = 255;

    public static bool IsValid([NotNullWhen(true)] string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var range in name.AsSpan().Split('/'))
        {
            if (!IsValidComponent(name.AsSpan()[range]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidComponent(ReadOnlySpan<char> component)
    {
        // component: alnum+ (separator alnum+)*, separator: '.', '_', '__', or one or more '-'.
        var i = 0;
        while (true)
        {
            var start = i;
            while (i < component.Length && IsLowerAlphaNumeric(component[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }

            if (i == component.Length)
            {
                return true;
            }

            var separator = component[i];
            if (separator == '.')
            {
                i++;
            }
            else if (separator == '_')
            {
                i++;
                if (i < component.Length && component[i] == '_')
                {
                    i++;
                }
            }
            else if (separator == '-')
            {
                while (i < component.Length && component[i] == '-')
                {
                    i++;
                }
            }
            else
            {
                return false;
            }
        }
    }

    private static bool IsLowerAlphaNumeric(char c) => char.IsAsciiDigit(c) || c is >= 'a' and <= 'z';
}

using System.Diagnostics.CodeAnalysis;

namespace RegistryCloud.Oci;

/// <summary>Tag grammar from the OCI distribution spec: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>.</summary>
public static class Tag
{
    public const int MaxLength = 128;

    public static bool IsValid([NotNullWhen(true)] string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxLength)
        {
            return false;
        }

        if (!IsWordChar(tag[0]))
        {
            return false;
        }

        for (var i = 1; i < tag.Length; i++)
        {
            var c = tag[i];
            if (!IsWordChar(c) && c is not ('.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}

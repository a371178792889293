namespace RegistryCloud.Storage;

/// <summary>Validation of driver paths, so no driver ever resolves a path outside its root.</summary>
public static class StoragePath
{
    public static void Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsValid(path))
        {
            throw new ArgumentException($"Invalid storage path '{path}'.", nameof(path));
        }
    }

    /// <summary>Whether a driver accepts the path: what a folder found on the disk must be to be walked.</summary>
    public static bool IsValid(string path)
    {
        if (path.Length < 2 || path[0] != '/' || path[^1] == '/')
        {
            return false;
        }

        foreach (var range in path.AsSpan(1).Split('/'))
        {
            var segment = path.AsSpan(1)[range];
            if (segment.IsEmpty || segment is "." || segment is "..")
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}

namespace RegistryCloud.Storage;

/// <summary>Validation of driver paths, so no driver ever resolves a path outside its root.</summary>
public static class StoragePath
{
    public static void Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length < 2 || path[0] != '/' || path[^1] == '/')
        {
            throw new ArgumentException($"Invalid storage path '{path}'.", nameof(path));
        }

        foreach (var range in path.AsSpan(1).Split('/'))
        {
            var segment = path.AsSpan(1)[range];
            if (segment.IsEmpty || segment is "." || segment is "..")
            {
                throw new ArgumentException($"Invalid storage path '{path}'.", nameof(path));
            }

            foreach (var c in segment)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':'))
                {
                    throw new ArgumentException($"Invalid storage path '{path}'.", nameof(path));
                }
            }
        }
    }

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}

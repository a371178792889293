namespace RegistryCloud.Storage.S3;

/// <summary>
/// Driver paths to object keys and back, as Distribution's s3 driver draws them: the root
/// directory without its slashes, then the path, with no leading slash
/// (<c>rootdirectory: /registry</c> and <c>/docker/registry/v2/...</c> give <c>registry/docker/registry/v2/...</c>).
/// </summary>
internal sealed class S3Keys(string rootDirectory)
{
    private readonly string _prefix = rootDirectory.Trim('/') is { Length: > 0 } root ? root + "/" : "";

    /// <summary>The key of the object at a path.</summary>
    public string Of(string path) => _prefix + path[1..];

    /// <summary>The prefix every key below a directory starts with ('/' for the root).</summary>
    public string DirectoryPrefix(string path) => path == "/" ? _prefix : Of(path) + "/";

    /// <summary>The path of a key (or of a common prefix, its trailing '/' removed).</summary>
    public string PathOf(string key) => "/" + key[_prefix.Length..].TrimEnd('/');
}

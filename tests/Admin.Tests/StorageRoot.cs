using System.Text;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;

namespace RegistryCloud.Admin.Tests;

/// <summary>Writes a storage root in Distribution's layout with Core's own driver and paths.</summary>
internal sealed class StorageRoot(string directory)
{
    private readonly FileSystemStorageDriver _driver = new(directory);

    public string Directory => directory;

    public async Task<Digest> BlobAsync(string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var digest = Digest.Compute(bytes);
        await _driver.PutContentAsync(RegistryPaths.BlobData(digest), bytes, Token);
        return digest;
    }

    public Task LinkLayerAsync(string repository, Digest digest) =>
        _driver.PutContentAsync(RegistryPaths.LayerLink(repository, digest), RegistryPaths.LinkContent(digest), Token);

    /// <summary>Stores a manifest blob, links it as a revision and points each tag at it.</summary>
    public async Task<Digest> ManifestAsync(string repository, string content, params string[] tags)
    {
        var digest = await BlobAsync(content);
        await _driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(repository, digest), RegistryPaths.LinkContent(digest), Token);
        foreach (var tag in tags)
        {
            await _driver.PutContentAsync(RegistryPaths.TagCurrentLink(repository, tag), RegistryPaths.LinkContent(digest), Token);
            await _driver.PutContentAsync(RegistryPaths.TagIndexLink(repository, tag, digest), RegistryPaths.LinkContent(digest), Token);
        }

        return digest;
    }

    public Task DeleteAsync(string path) => _driver.DeleteAsync(path, Token);

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}

using System.Text;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Tests.Shared;

/// <summary>Writes Distribution's layout directly through a driver, as a registry's pushes would leave it, and reads what is left of it.</summary>
public sealed class RegistryLayout(IStorageDriver driver)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public IStorageDriver Driver => driver;

    public async Task<Digest> BlobAsync(string repository, byte[] content)
    {
        var digest = Digest.Compute(content);
        await driver.PutContentAsync(RegistryPaths.BlobData(digest), content, Token);
        await driver.PutContentAsync(RegistryPaths.LayerLink(repository, digest), RegistryPaths.LinkContent(digest), Token);
        return digest;
    }

    public Task<Digest> BlobAsync(string repository, string text) => BlobAsync(repository, Encoding.UTF8.GetBytes(text));

    /// <summary>An image manifest over a config and layers already pushed to the repository.</summary>
    public Task<Digest> ImageAsync(string repository, string? tag, Digest config, params Digest[] layers) =>
        ManifestAsync(repository, tag, $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciImageManifest}}",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{config}}","size":1},
             "layers":[{{string.Join(",", layers.Select(layer => $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{layer}}","size":1}"""))}}]}
            """);

    public Task<Digest> IndexAsync(string repository, string? tag, params Digest[] manifests) =>
        ManifestAsync(repository, tag, $$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.OciImageIndex}}",
             "manifests":[{{string.Join(",", manifests.Select(manifest => $$"""{"mediaType":"{{MediaTypes.OciImageManifest}}","digest":"{{manifest}}","size":1}"""))}}]}
            """);

    /// <summary>A manifest naming <paramref name="subject"/>, indexed as its referrer the way ManifestService indexes one.</summary>
    public async Task<Digest> ReferrerAsync(string repository, Digest subject, Digest config)
    {
        var digest = await ManifestAsync(repository, null, $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciImageManifest}}}","artifactType":"application/example",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"{{{config}}}","size":1},"layers":[],
             "subject":{"mediaType":"{{{MediaTypes.OciImageManifest}}}","digest":"{{{subject}}}","size":1}}
            """);
        await driver.PutContentAsync(RegistryPaths.ReferrerDescriptor(repository, subject, digest), Encoding.UTF8.GetBytes("{}"), Token);
        return digest;
    }

    public async Task<Digest> ManifestAsync(string repository, string? tag, string json)
    {
        var content = Encoding.UTF8.GetBytes(json);
        var digest = Digest.Compute(content);
        await driver.PutContentAsync(RegistryPaths.BlobData(digest), content, Token);
        await driver.PutContentAsync(RegistryPaths.ManifestRevisionLink(repository, digest), RegistryPaths.LinkContent(digest), Token);
        if (tag is not null)
        {
            await TagAsync(repository, tag, digest);
        }

        return digest;
    }

    public async Task TagAsync(string repository, string tag, Digest digest)
    {
        await driver.PutContentAsync(RegistryPaths.TagIndexLink(repository, tag, digest), RegistryPaths.LinkContent(digest), Token);
        await driver.PutContentAsync(RegistryPaths.TagCurrentLink(repository, tag), RegistryPaths.LinkContent(digest), Token);
    }

    public Task UntagAsync(string repository, string tag) => driver.DeleteAsync(RegistryPaths.TagDirectory(repository, tag), Token);

    public async Task<bool> HasBlobAsync(Digest digest) => await driver.StatAsync(RegistryPaths.BlobData(digest), Token) is not null;

    public async Task<bool> HasLinkAsync(string repository, Digest digest) =>
        await driver.StatAsync(RegistryPaths.LayerLink(repository, digest), Token) is not null;

    public async Task<bool> HasRevisionAsync(string repository, Digest digest) =>
        await driver.StatAsync(RegistryPaths.ManifestRevisionLink(repository, digest), Token) is not null;
}

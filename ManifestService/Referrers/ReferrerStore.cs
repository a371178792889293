using System.Text.Json;
using RegistryCloud.ManifestService.Apis;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Referrers;

/// <summary>
/// The referrers index: for each subject digest, the descriptors of the manifests that name it
/// as their <c>subject</c>. Written when such a manifest is pushed, removed when it is deleted,
/// so listing referrers never reads the manifests themselves.
/// </summary>
internal sealed class ReferrerStore(IStorageDriver driver)
{
    public Task AddAsync(string repository, Digest subject, ReferrerDescriptor referrer, CancellationToken cancellationToken)
    {
        var content = JsonSerializer.SerializeToUtf8Bytes(referrer, ManifestJsonContext.WireOptions);
        var path = RegistryPaths.ReferrerDescriptor(repository, subject, Digest.Parse(referrer.Digest));
        return driver.PutContentAsync(path, content, cancellationToken);
    }

    public Task<bool> RemoveAsync(string repository, Digest subject, Digest referrer, CancellationToken cancellationToken) =>
        driver.DeleteAsync(StoragePath.Parent(RegistryPaths.ReferrerDescriptor(repository, subject, referrer)), cancellationToken);

    /// <summary>The referrers of a subject, ordered by digest so pages are stable.</summary>
    public async Task<IReadOnlyList<ReferrerDescriptor>> ListAsync(string repository, Digest subject, CancellationToken cancellationToken)
    {
        var referrers = new List<ReferrerDescriptor>();
        var directory = RegistryPaths.ReferrersDirectory(repository, subject);
        foreach (var algorithm in await driver.ListAsync(directory, cancellationToken))
        {
            foreach (var entry in await driver.ListAsync(algorithm, cancellationToken))
            {
                var content = await driver.GetContentAsync(entry + "/descriptor.json", cancellationToken);
                if (content is not null
                    && JsonSerializer.Deserialize(content, ManifestJsonContext.Default.ReferrerDescriptor) is { } descriptor)
                {
                    referrers.Add(descriptor);
                }
            }
        }

        referrers.Sort((a, b) => string.CompareOrdinal(a.Digest, b.Digest));
        return referrers;
    }
}

/// <summary>A descriptor in a referrers response (OCI spec: listing referrers).</summary>
internal sealed record ReferrerDescriptor(
    string MediaType,
    string Digest,
    long Size,
    string? ArtifactType,
    IReadOnlyDictionary<string, string>? Annotations);

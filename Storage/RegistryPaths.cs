using RegistryCloud.Oci;

namespace RegistryCloud.Storage;

/// <summary>
/// The one owner of the storage layout, which is Distribution's (registry/storage/paths.go),
/// so a root written by either is served by the other:
/// <code>
/// /docker/registry/v2/blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/data
/// /docker/registry/v2/repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_uploads/&lt;id&gt;/{data,startedat,hashstates/&lt;alg&gt;/&lt;offset&gt;,lock}
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/current/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/_digesttags/&lt;alg&gt;/&lt;hex&gt;/&lt;tag&gt;
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/_pulls/{tags/&lt;tag&gt;,revisions/&lt;alg&gt;/&lt;hex&gt;}
/// /docker/registry/v2/repositories/&lt;name&gt;/_manifests/referrers/&lt;alg&gt;/&lt;subject hex&gt;/&lt;alg&gt;/&lt;hex&gt;/descriptor.json
/// </code>
/// Callers pass names, tags and digests that were already validated.
/// </summary>
public static class RegistryPaths
{
    public const string Root = "/docker/registry/v2";
    public const string RepositoriesRoot = Root + "/repositories";
    public const string BlobsRoot = Root + "/blobs";

    public static string BlobDirectory(Digest digest) =>
        $"{BlobsRoot}/{digest.Algorithm}/{digest.Encoded[..2]}/{digest.Encoded}";

    public static string BlobData(Digest digest) => BlobDirectory(digest) + "/data";

    public static string Repository(string name) => $"{RepositoriesRoot}/{name}";

    public static string LayersDirectory(string name) => $"{RepositoriesRoot}/{name}/_layers";

    public static string LayerLink(string name, Digest digest) =>
        $"{RepositoriesRoot}/{name}/_layers/{digest.Algorithm}/{digest.Encoded}/link";

    public static string UploadsDirectory(string name) => $"{RepositoriesRoot}/{name}/_uploads";

    public static string UploadDirectory(string name, string uploadId) => $"{UploadsDirectory(name)}/{uploadId}";

    public static string UploadData(string name, string uploadId) => UploadDirectory(name, uploadId) + "/data";

    public static string UploadStartedAt(string name, string uploadId) => UploadDirectory(name, uploadId) + "/startedat";

    /// <summary>The running hash states saved for one algorithm, one file per offset (Distribution's layout and format).</summary>
    public static string UploadHashStates(string name, string uploadId, string algorithm) =>
        $"{UploadDirectory(name, uploadId)}/hashstates/{algorithm}";

    public static string UploadHashState(string name, string uploadId, string algorithm, long offset) =>
        UploadHashStates(name, uploadId, algorithm) + "/" + offset.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// RegistryCloud's lock of an upload session (Distribution has none and ignores the file): whoever
    /// holds it is the one request that may write to or commit the session.
    /// </summary>
    public static string UploadLock(string name, string uploadId) => UploadDirectory(name, uploadId) + "/lock";

    public static string ManifestsDirectory(string name) => $"{RepositoriesRoot}/{name}/_manifests";

    public static string ManifestRevisionsDirectory(string name) => ManifestsDirectory(name) + "/revisions";

    public static string ManifestRevisionLink(string name, Digest digest) =>
        $"{ManifestsDirectory(name)}/revisions/{digest.Algorithm}/{digest.Encoded}/link";

    public static string TagsDirectory(string name) => ManifestsDirectory(name) + "/tags";

    public static string TagDirectory(string name, string tag) => $"{TagsDirectory(name)}/{tag}";

    public static string TagCurrentLink(string name, string tag) => TagDirectory(name, tag) + "/current/link";

    /// <summary>
    /// RegistryCloud's record of a tag's last pull, in a folder of its own beside the tags (so a
    /// record written as a tag is deleted never makes a tag folder), written at most now and then
    /// and read by retention's <c>keeppulledwithin</c>. A revision has one too, for pulls by digest.
    /// </summary>
    public static string TagPulledAt(string name, string tag) => $"{ManifestsDirectory(name)}/_pulls/tags/{tag}";

    public static string RevisionPulledAt(string name, Digest digest) => $"{ManifestsDirectory(name)}/_pulls/revisions/{digest.Algorithm}/{digest.Encoded}";

    /// <summary>
    /// The pull-through cache's record of when a cached tag was last checked against its upstream
    /// (its content: the time), beside the tags as <c>_pulls</c> is; Distribution ignores it.
    /// </summary>
    public static string TagValidatedAt(string name, string tag) => $"{ManifestsDirectory(name)}/_proxy/tags/{tag}";

    /// <summary>
    /// The pull-through cache's fetch of one blob from upstream: a folder whose <c>lock</c> the
    /// replica fetching it holds, so that concurrent pulls of an uncached blob fetch it once.
    /// </summary>
    public static string ProxyFetchDirectory(Digest digest) => $"{Root}/_proxy/fetches/{digest.Algorithm}/{digest.Encoded}";

    public static string TagIndexLink(string name, string tag, Digest digest) =>
        $"{TagDirectory(name, tag)}/index/{digest.Algorithm}/{digest.Encoded}/link";

    /// <summary>
    /// RegistryCloud's referrers index (Distribution 2.8 has none): one descriptor file per
    /// manifest whose <c>subject</c> is the given digest. Distribution ignores the extra folder.
    /// </summary>
    public static string ReferrersDirectory(string name, Digest subject) =>
        $"{ManifestsDirectory(name)}/referrers/{subject.Algorithm}/{subject.Encoded}";

    public static string ReferrerDescriptor(string name, Digest subject, Digest referrer) =>
        $"{ReferrersDirectory(name, subject)}/{referrer.Algorithm}/{referrer.Encoded}/descriptor.json";

    /// <summary>
    /// RegistryCloud's reverse tag index: an empty marker per tag under the digest it points at,
    /// so deleting a manifest finds its tags without reading every tag. <see cref="TagIndexComplete"/>
    /// marks a repository whose index covers every tag (a root written by Distribution starts
    /// without one and is indexed by one scan).
    /// </summary>
    public static string DigestTagsDirectory(string name, Digest digest) =>
        $"{ManifestsDirectory(name)}/_digesttags/{digest.Algorithm}/{digest.Encoded}";

    public static string DigestTagMarker(string name, Digest digest, string tag) => $"{DigestTagsDirectory(name, digest)}/{tag}";

    public static string TagIndexComplete(string name) => $"{ManifestsDirectory(name)}/_digesttags/complete";

    /// <summary>
    /// RegistryCloud's listing stamps (Distribution ignores the folders): a token the tag index of a
    /// repository, or the catalog index, was built for. A writer that changes the listings without
    /// updating the index (offline tools, retention) writes a new one, and an index built for
    /// another token is not trusted.
    /// </summary>
    public static string TagsListingStamp(string name) => $"{ManifestsDirectory(name)}/_listing/stamp";

    public const string CatalogListingStamp = Root + "/_listing/catalog-stamp";

    /// <summary>
    /// RegistryCloud's quarantine (Distribution ignores the folder): blob data the scrub found not
    /// to hash to its digest, moved out of the content store, one file per time it was found.
    /// </summary>
    public const string QuarantineRoot = Root + "/_quarantine";

    public static string Quarantined(Digest digest, DateTimeOffset found) =>
        $"{QuarantineRoot}/{digest.Algorithm}/{digest.Encoded}/{found.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The content of a link file: the digest it points at.</summary>
    public static byte[] LinkContent(Digest digest) => System.Text.Encoding.ASCII.GetBytes(digest.ToString());

    /// <summary>Reads a link file's content back into a digest; null when it holds no valid digest.</summary>
    public static Digest? ParseLink(ReadOnlySpan<byte> content)
    {
        var text = System.Text.Encoding.ASCII.GetString(content).Trim();
        return Digest.TryParse(text, out var digest) ? digest : null;
    }
}

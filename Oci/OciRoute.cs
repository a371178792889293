namespace RegistryCloud.Oci;

/// <summary>What a <c>/v2/...</c> path addresses.</summary>
public enum OciRouteKind
{
    /// <summary>The path is not a registry API path.</summary>
    None,

    /// <summary><c>/v2/</c></summary>
    Base,

    /// <summary><c>/v2/_catalog</c></summary>
    Catalog,

    /// <summary><c>/v2/&lt;name&gt;/blobs/uploads/</c></summary>
    UploadStart,

    /// <summary><c>/v2/&lt;name&gt;/blobs/uploads/&lt;id&gt;</c></summary>
    Upload,

    /// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c></summary>
    Blob,

    /// <summary><c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c></summary>
    Manifest,

    /// <summary><c>/v2/&lt;name&gt;/tags/list</c></summary>
    TagsList,

    /// <summary><c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c></summary>
    Referrers,
}

/// <summary>
/// A parsed registry API path. <see cref="Name"/> is the repository name exactly as the path
/// carries it; <see cref="NameIsValid"/> says whether it satisfies the grammar, so callers can
/// answer <c>NAME_INVALID</c> before any storage access.
/// </summary>
public readonly record struct OciRoute(OciRouteKind Kind, string Name, string Argument)
{
    public bool NameIsValid => RepositoryName.IsValid(Name);

    /// <summary>True for routes served by the blob service.</summary>
    public bool IsBlobRoute => Kind is OciRouteKind.Blob or OciRouteKind.Upload or OciRouteKind.UploadStart;
}

namespace RegistryCloud.Oci;

/// <summary>
/// The one table of registry error codes: the OCI distribution spec's codes
/// (spec.md#error-codes) with the HTTP status Distribution answers them with, plus the
/// Docker Registry V2 codes clients also understand.
/// </summary>
public sealed record OciErrorCode(string Code, int Status, string Message)
{
    public static readonly OciErrorCode BlobUnknown = new("BLOB_UNKNOWN", 404, "blob unknown to registry");
    public static readonly OciErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", 400, "blob upload invalid");
    public static readonly OciErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry");
    public static readonly OciErrorCode DigestInvalid = new("DIGEST_INVALID", 400, "provided digest did not match uploaded content");
    public static readonly OciErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", 400, "manifest references a manifest or blob unknown to registry");
    public static readonly OciErrorCode ManifestInvalid = new("MANIFEST_INVALID", 400, "manifest invalid");
    public static readonly OciErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", 404, "manifest unknown to registry");
    public static readonly OciErrorCode NameInvalid = new("NAME_INVALID", 400, "invalid repository name");
    public static readonly OciErrorCode NameUnknown = new("NAME_UNKNOWN", 404, "repository name not known to registry");
    public static readonly OciErrorCode SizeInvalid = new("SIZE_INVALID", 400, "provided length did not match content length");
    public static readonly OciErrorCode TagInvalid = new("TAG_INVALID", 400, "manifest tag did not match URI");
    public static readonly OciErrorCode Unauthorized = new("UNAUTHORIZED", 401, "authentication required");
    public static readonly OciErrorCode Denied = new("DENIED", 403, "requested access to the resource is denied");
    public static readonly OciErrorCode Unsupported = new("UNSUPPORTED", 405, "the operation is unsupported");
    public static readonly OciErrorCode TooManyRequests = new("TOOMANYREQUESTS", 429, "too many requests");
    public static readonly OciErrorCode RangeInvalid = new("RANGE_INVALID", 416, "invalid content range");
    public static readonly OciErrorCode PaginationNumberInvalid = new("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested");
    public static readonly OciErrorCode ManifestTooLarge = new("MANIFEST_INVALID", 413, "manifest too large");
    public static readonly OciErrorCode NotFound = new("NOT_FOUND", 404, "the requested resource was not found");
    public static readonly OciErrorCode Unavailable = new("UNAVAILABLE", 503, "service unavailable");
    public static readonly OciErrorCode Unknown = new("UNKNOWN", 500, "unknown error");

    /// <summary>A write found the storage volume full: 507 Insufficient Storage (RFC 4918), Distribution's UNAVAILABLE code.</summary>
    public static readonly OciErrorCode StorageFull = new("UNAVAILABLE", 507, "storage full: no space left on the registry's storage");
}

using System.Net;
using Amazon.S3;

namespace RegistryCloud.Storage.S3;

/// <summary>The S3 errors the driver answers as expected outcomes; every other one propagates.</summary>
internal static class S3Errors
{
    /// <summary>No object at the key (a missing bucket is not a miss: it is a configuration error).</summary>
    public static bool IsNotFound(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not "NoSuchBucket" and not "NoSuchUpload";

    /// <summary>A conditional write or copy lost: the object is not the one the condition named (412), or another conditional write on it is in flight (409).</summary>
    public static bool IsConditionFailed(AmazonS3Exception e) =>
        e.StatusCode is HttpStatusCode.PreconditionFailed
        || (e.StatusCode is HttpStatusCode.Conflict && e.ErrorCode is "ConditionalRequestConflict");

    /// <summary>A range that starts at or past the end of the object.</summary>
    public static bool IsInvalidRange(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable || e.ErrorCode == "InvalidRange";

    /// <summary>An operation the server does not implement (UploadPartCopy on some S3-compatible servers).</summary>
    public static bool IsNotImplemented(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotImplemented || e.ErrorCode == "NotImplemented";
}

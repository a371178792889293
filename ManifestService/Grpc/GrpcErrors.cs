using Grpc.Core;
using RegistryCloud.Oci;

namespace RegistryCloud.ManifestService.Grpc;

/// <summary>The one table from BlobService's gRPC status codes to OCI error codes.</summary>
internal static class GrpcErrors
{
    public static OciErrorCode ToOciCode(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => OciErrorCode.ManifestInvalid,
        StatusCode.FailedPrecondition => OciErrorCode.DigestInvalid,
        StatusCode.NotFound => OciErrorCode.BlobUnknown,
        StatusCode.ResourceExhausted => OciErrorCode.ManifestTooLarge,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => OciErrorCode.Unavailable,
        _ => OciErrorCode.Unknown,
    };
}

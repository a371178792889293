using Google.Protobuf;
using Grpc.Core;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.Core.Oci;
using RegistryCloud.Protos.BlobContent;

namespace RegistryCloud.BlobService.Grpc;

/// <summary>What ManifestService asks of blob storage: stat references, store and read manifests.</summary>
internal sealed class BlobContentGrpcService(BlobStore blobs) : BlobContent.BlobContentBase
{
    /// <summary>Manifests are small; anything larger read through here is a mistake, not a manifest.</summary>
    private const long MaxContentSize = 16 * 1024 * 1024;

    /// <summary>The largest gRPC message either side takes: the content limit plus protobuf framing.</summary>
    public const int MaxMessageSize = (int)MaxContentSize + 64 * 1024;

    public override async Task<StatBlobsResponse> StatBlobs(StatBlobsRequest request, ServerCallContext context)
    {
        if (!RepositoryName.IsValid(request.Repository))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid repository name '{request.Repository}'"));
        }

        var response = new StatBlobsResponse();
        foreach (var text in request.Digests)
        {
            var stat = new BlobStat { Digest = text };
            if (Digest.TryParse(text, out var digest)
                && await blobs.StatAsync(request.Repository, digest, context.CancellationToken) is { } descriptor)
            {
                stat.Exists = true;
                stat.Size = descriptor.Size;
            }

            response.Blobs.Add(stat);
        }

        return response;
    }

    public override async Task<WriteContentResponse> WriteContent(WriteContentRequest request, ServerCallContext context)
    {
        if (request.Content.Length > MaxContentSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"content of {request.Content.Length} bytes is over {MaxContentSize}"));
        }

        var algorithm = Digest.Sha256;
        Digest? expected = null;
        if (!string.IsNullOrEmpty(request.ExpectedDigest))
        {
            if (!Digest.TryParse(request.ExpectedDigest, out var parsed))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid digest '{request.ExpectedDigest}'"));
            }

            expected = parsed;
            algorithm = parsed.Algorithm;
        }

        var content = request.Content.Memory;
        var actual = Digest.Compute(content.Span, algorithm);
        if (expected is { } want && want != actual)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"content does not match digest {want}"));
        }

        await blobs.WriteContentAsync(content, algorithm, context.CancellationToken);
        return new WriteContentResponse { Digest = actual.ToString(), Size = content.Length };
    }

    public override async Task<ReadContentResponse> ReadContent(ReadContentRequest request, ServerCallContext context)
    {
        if (!Digest.TryParse(request.Digest, out var digest))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid digest '{request.Digest}'"));
        }

        var limit = request.MaxSize > 0 ? Math.Min(request.MaxSize, MaxContentSize) : MaxContentSize;
        var descriptor = await blobs.StatContentAsync(digest, context.CancellationToken);
        if (descriptor is null)
        {
            return new ReadContentResponse { Found = false };
        }

        if (descriptor.Size > limit)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{digest} has {descriptor.Size} bytes, over {limit}"));
        }

        var content = await blobs.ReadContentAsync(digest, context.CancellationToken);
        return content is null
            ? new ReadContentResponse { Found = false }
            : new ReadContentResponse { Found = true, Content = UnsafeByteOperations.UnsafeWrap(content) };
    }
}

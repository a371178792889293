using Google.Protobuf;
using Grpc.Core;
using RegistryCloud.BlobService.Blobs;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Oci;
using RegistryCloud.Protos.BlobContent;

namespace RegistryCloud.BlobService.Grpc;

/// <summary>What ManifestService asks of blob storage: stat references, store and read manifests.</summary>
internal sealed class BlobContentGrpcService(BlobStore blobs, GcUses uses) : BlobContent.BlobContentBase
{
    /// <summary>Manifests are small; anything larger read through here is a mistake, not a manifest.</summary>
    private const long MaxContentSize = 16 * 1024 * 1024;

    /// <summary>The largest gRPC message either side takes: the content limit plus protobuf framing.</summary>
    public const int MaxMessageSize = (int)MaxContentSize + 64 * 1024;

    public override async Task<StatBlobsResponse> StatBlobs(StatBlobsRequest request, ServerCallContext context)
    {
        var response = new StatBlobsResponse();
        await RecordAsync(request.Repository, request.ReliesOn, context.CancellationToken);
        await StatAsync(request.Repository, request.Digests, response.Blobs, context.CancellationToken);
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

        var response = new WriteContentResponse { ReferencesChecked = true };
        await RecordAsync(request.Repository, request.ReliesOn, context.CancellationToken);
        if (request.References.Count > 0)
        {
            var stats = new List<BlobStat>(request.References.Count);
            await StatAsync(request.Repository, request.References, stats, context.CancellationToken);
            foreach (var stat in stats)
            {
                if (!stat.Exists)
                {
                    response.Missing.Add(stat.Digest);
                }
            }

            if (response.Missing.Count > 0)
            {
                return response;
            }
        }

        await blobs.WriteContentAsync(content, actual, context.CancellationToken);
        response.Digest = actual.ToString();
        response.Size = content.Length;
        return response;
    }

    /// <summary>
    /// Records, for the garbage collector, what a manifest PUT is about to rely on: before any of
    /// it is checked, so a collection either keeps it or the check that follows fails.
    /// </summary>
    private async Task RecordAsync(string repository, IEnumerable<string> reliesOn, CancellationToken cancellationToken)
    {
        if (!uses.Recording)
        {
            return;
        }

        var digests = new List<Digest>();
        foreach (var text in reliesOn)
        {
            if (Digest.TryParse(text, out var digest))
            {
                digests.Add(digest);
            }
        }

        if (digests.Count > 0)
        {
            RequireValidName(repository);
            try
            {
                await uses.RecordAsync(repository, digests, cancellationToken);
            }
            catch (GcCoordinatorUnavailableException e)
            {
                // Unrecorded, a collection could take what the manifest names after the check: refuse, the client retries.
                throw new RpcException(new Status(StatusCode.Unavailable, "the garbage collector's record store (Redis) is unavailable; try again"), e.Message);
            }
        }
    }

    /// <summary>
    /// Stats each digest in the repository, in order, as storage holds it (a cache entry the
    /// collector left stale must not let a manifest name a blob that is gone); a malformed digest
    /// is reported as missing.
    /// </summary>
    private async Task StatAsync(string repository, IEnumerable<string> digests, ICollection<BlobStat> into, CancellationToken cancellationToken)
    {
        RequireValidName(repository);
        foreach (var text in digests)
        {
            var stat = new BlobStat { Digest = text };
            if (!Digest.TryParse(text, out var digest))
            {
                into.Add(stat);
                continue;
            }

            if (await blobs.StatStoredAsync(repository, digest, cancellationToken) is { } descriptor)
            {
                stat.Exists = true;
                stat.Size = descriptor.Size;
            }
            else
            {
                // A client that skipped the upload believed a HEAD answered from a cache entry the
                // collector left stale: forgotten now, its retry uploads the blob.
                await blobs.ForgetAsync(repository, digest, cancellationToken);
            }

            into.Add(stat);
        }
    }

    private static void RequireValidName(string repository)
    {
        if (!RepositoryName.IsValid(repository))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid repository name '{repository}'"));
        }
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

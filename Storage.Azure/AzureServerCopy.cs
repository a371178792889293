using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// Copies committed bytes from one blob to another inside the service (Put Block From URL, a few
/// ranges at a time), staging them as uncommitted blocks of the destination: nothing of them is
/// seen there until the caller commits a block list, which replaces the content all at once.
/// </summary>
internal sealed class AzureServerCopy(AzureAccess access)
{
    /// <summary>The range one Put Block From URL copies; the service takes up to 4000 MiB, this keeps each call short.</summary>
    public const long DefaultBlockSize = 100L * 1024 * 1024;

    private const int Parallelism = 4;

    public long BlockSize { get; init; } = DefaultBlockSize;

    /// <summary>
    /// The source's committed bytes become the destination's whole content, in one commit, with
    /// <paramref name="metadata"/> (the modification time a move keeps).
    /// </summary>
    public async Task CopyAsync(
        BlobClient source, BlobProperties properties, BlockBlobClient destination, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var blocks = await StageAsync(source, properties.ContentLength, properties.ETag, destination, cancellationToken).ConfigureAwait(false);
                await destination.CommitBlockListAsync(blocks, new CommitBlockListOptions { Metadata = metadata }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.InvalidBlockList.ToString() && attempt < 3)
            {
                // A concurrent copy to the same destination (the same digest pushed twice) committed
                // first, and its commit discarded the blocks this one had staged: stage them again.
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.InvalidBlobType.ToString() && attempt < 3)
            {
                // The destination is an append blob (as Distribution's azure driver wrote blobs): no block
                // list can replace it, so it goes first. Readers see it absent meanwhile, never partial.
                await destination.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stages the first <paramref name="length"/> bytes of <paramref name="source"/> as it is at
    /// <paramref name="version"/> (a change meanwhile fails the copy) as uncommitted blocks of
    /// <paramref name="destination"/>; returns their ids in order.
    /// </summary>
    public async Task<List<string>> StageAsync(BlobClient source, long length, ETag version, BlockBlobClient destination, CancellationToken cancellationToken)
    {
        var count = (int)((length + BlockSize - 1) / BlockSize);
        var ids = new string[count];
        if (count > 0)
        {
            var (uri, authorization) = await access.CopySourceAsync(source, cancellationToken).ConfigureAwait(false);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, token) =>
            {
                var offset = index * BlockSize;
                var id = AzureBlobWriter.NewBlockId();
                await destination.StageBlockFromUriAsync(uri, id, new StageBlockFromUriOptions
                {
                    SourceRange = new HttpRange(offset, Math.Min(BlockSize, length - offset)),
                    SourceConditions = new RequestConditions { IfMatch = version },
                    SourceAuthentication = authorization,
                }, token).ConfigureAwait(false);
                ids[index] = id;
            }).ConfigureAwait(false);
        }

        return [.. ids];
    }
}

using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;

namespace RegistryCloud.Storage.S3;

/// <summary>Server-side copies: one CopyObject, or a multipart copy of ranges (Distribution's <c>multipartcopy*</c> keys).</summary>
public sealed partial class S3StorageDriver
{
    /// <summary>The user metadata (<c>x-amz-meta-modified</c>) that keeps a moved object's modification time.</summary>
    private const string ModifiedMetadata = "modified";

    /// <summary>
    /// Copies an object (exactly the version with <paramref name="etag"/>) to <paramref name="destination"/>,
    /// which appears whole when the copy lands and keeps <paramref name="modifiedAt"/> as its
    /// modification time (<see cref="ModifiedAt"/>).
    /// </summary>
    internal async Task CopyAsync(string source, string etag, long size, string destination, DateTimeOffset modifiedAt, CancellationToken cancellationToken)
    {
        if (size >= Options.MultipartCopyThresholdSize && !_partCopyUnsupported)
        {
            var initiate = NewMultipartUpload(destination);
            initiate.Metadata.Add(ModifiedMetadata, FormatModified(modifiedAt));
            var upload = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken);
            try
            {
                var parts = await CopyPartsAsync(upload.UploadId, destination, source, etag, size, firstPartNumber: 1, cancellationToken);
                await CompleteAsync(destination, upload.UploadId, parts, cancellationToken);
                return;
            }
            catch (AmazonS3Exception e) when (S3Errors.IsNotImplemented(e))
            {
                await AbortQuietlyAsync(destination, upload.UploadId);
                PartCopyIsUnsupported();
            }
            catch
            {
                await AbortQuietlyAsync(destination, upload.UploadId);
                throw;
            }
        }

        var request = new CopyObjectRequest
        {
            SourceBucket = Bucket,
            SourceKey = source,
            DestinationBucket = Bucket,
            DestinationKey = destination,
            ETagToMatch = etag,
            MetadataDirective = S3MetadataDirective.REPLACE,
            StorageClass = StorageClass,
            ServerSideEncryptionMethod = Encryption,
            ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId,
        };
        request.Metadata.Add(ModifiedMetadata, FormatModified(modifiedAt));
        await _client.CopyObjectAsync(request, cancellationToken);
    }

    /// <summary>
    /// A file's modification time: when its bytes were last written, which a move keeps as a
    /// rename does (the collector tells a file written again meanwhile by it). A copy is a new
    /// object with a new LastModified, so a moved object carries its source's time in its metadata.
    /// </summary>
    internal static DateTimeOffset ModifiedAt(GetObjectMetadataResponse head) =>
        head.Metadata[ModifiedMetadata] is { } kept
            && DateTimeOffset.TryParseExact(kept, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var modified)
            ? modified
            : head.LastModified ?? default;

    private static string FormatModified(DateTimeOffset modifiedAt) => modifiedAt.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Copies the whole of <paramref name="source"/> into parts of a multipart upload, numbered from
    /// <paramref name="firstPartNumber"/>, at most <c>multipartcopymaxconcurrency</c> at once. Every
    /// part is at least the copy chunk size (so each may be followed by more parts), at most 5 GiB.
    /// </summary>
    internal async Task<List<PartETag>> CopyPartsAsync(
        string uploadId, string destination, string source, string etag, long size, int firstPartNumber, CancellationToken cancellationToken)
    {
        var chunk = Math.Max(Options.MultipartCopyChunkSize, S3StorageOptions.MinimumChunkSize);
        var count = (int)Math.Max(1, size / chunk);
        while ((size + count - 1) / count > S3StorageOptions.MaximumCopySize)
        {
            count++;
        }

        var partSize = (size + count - 1) / count;
        var parts = new PartETag[count];
        var concurrency = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, Options.MultipartCopyMaxConcurrency),
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), concurrency, async (index, token) =>
        {
            var first = index * partSize;
            var response = await _client.CopyPartAsync(new CopyPartRequest
            {
                SourceBucket = Bucket,
                SourceKey = source,
                DestinationBucket = Bucket,
                DestinationKey = destination,
                UploadId = uploadId,
                PartNumber = firstPartNumber + index,
                FirstByte = first,
                LastByte = Math.Min(size, first + partSize) - 1,
                ETagToMatch = [etag],
            }, token);
            parts[index] = new PartETag(firstPartNumber + index, response.ETag);
        });
        return [.. parts];
    }

    internal Task<CompleteMultipartUploadResponse> CompleteAsync(string key, string uploadId, List<PartETag> parts, CancellationToken cancellationToken) =>
        _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = parts,
        }, cancellationToken);
}

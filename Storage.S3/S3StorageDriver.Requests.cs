using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.Storage.S3;

/// <summary>The requests the driver's operations are made of: misses as nulls, storage class and encryption on every write.</summary>
public sealed partial class S3StorageDriver
{
    internal async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <param name="ranged">
    /// Ask for a range even from the first byte, as Distribution's driver does: an unranged GET of a
    /// single-part object has the SDK check the whole body against the ETag with its managed MD5,
    /// which was most of BlobService's CPU when it streamed a blob (docs/performance.md). Streams
    /// are read so (AWS never had that check for multipart objects, every large blob); their bytes
    /// are a digest's, which clients check. Small files (GetContent) keep the SDK's check. A range
    /// from the first byte of an empty object is refused (416).
    /// </param>
    internal async Task<GetObjectResponse?> GetObjectAsync(string key, long offset, CancellationToken cancellationToken, string? etag = null, bool ranged = false)
    {
        var request = new GetObjectRequest { BucketName = Bucket, Key = key, EtagToMatch = etag };
        if (offset > 0 || ranged)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        try
        {
            return await _client.GetObjectAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>The whole object at a key, or null when there is none (small files: the SDK checks the body).</summary>
    private async Task<byte[]?> GetWholeAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await GetObjectAsync(key, offset: 0, cancellationToken);
        if (response is null)
        {
            return null;
        }

        var content = new byte[response.ContentLength];
        await response.ResponseStream.ReadExactlyAsync(content, cancellationToken);
        return content;
    }

    /// <summary>A stream over the object at a key from an offset, or null when there is none.</summary>
    private async Task<Stream?> OpenWholeAsync(string key, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetObjectAsync(key, offset, cancellationToken, ranged: true);
            return response is null ? null : new S3ReadStream(this, key, response, offset);
        }
        catch (AmazonS3Exception e) when (S3Errors.IsInvalidRange(e))
        {
            // At or past the end: like a file read there, an empty stream (if the file exists).
            return await HeadAsync(key, cancellationToken) is null ? null : Stream.Null;
        }
    }

    /// <param name="modifiedAt">The modification time to keep (a move's), in the object's metadata.</param>
    internal async Task<PutObjectResponse> PutObjectAsync(
        string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken, string? ifMatch = null, string? ifNoneMatch = null, DateTimeOffset? modifiedAt = null)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            InputStream = S3Buffers.AsStream(content),
            AutoCloseStream = true,
            UseChunkEncoding = false,
            IfMatch = ifMatch,
            IfNoneMatch = ifNoneMatch,
        };
        if (modifiedAt is { } modified)
        {
            request.Metadata.Add(ModifiedMetadata, FormatModified(modified));
        }

        ApplyStorageSettings(request);
        return await _client.PutObjectAsync(request, cancellationToken);
    }

    internal void ApplyStorageSettings(PutObjectRequest request)
    {
        request.StorageClass = StorageClass;
        request.ServerSideEncryptionMethod = Encryption;
        request.ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId;
    }

    internal InitiateMultipartUploadRequest NewMultipartUpload(string key) => new()
    {
        BucketName = Bucket,
        Key = key,
        StorageClass = StorageClass,
        ServerSideEncryptionMethod = Encryption,
        ServerSideEncryptionKeyManagementServiceKeyId = KmsKeyId,
    };

    /// <summary>Aborts a multipart upload that will not complete; best effort (a bucket lifecycle rule removes what is left).</summary>
    internal async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
        {
            // Completed or aborted already (a record left beside the object its upload became).
        }
        catch (AmazonS3Exception e)
        {
            LogAbortFailed(_logger, key, e.ErrorCode ?? e.StatusCode.ToString());
        }
    }

    internal void PartCopyIsUnsupported()
    {
        if (!_partCopyUnsupported)
        {
            _partCopyUnsupported = true;
            LogPartCopyUnsupported(_logger, Bucket);
        }
    }

    private S3StorageClass? StorageClass =>
        Options.StorageClass is { Length: > 0 } and not "NONE" ? S3StorageClass.FindValue(Options.StorageClass) : null;

    private ServerSideEncryptionMethod? Encryption =>
        !Options.Encrypt ? null : Options.KeyId is { Length: > 0 } ? ServerSideEncryptionMethod.AWSKMS : ServerSideEncryptionMethod.AES256;

    private string? KmsKeyId => Options.Encrypt && Options.KeyId is { Length: > 0 } keyId ? keyId : null;

    private async Task<S3Object?> FirstUnderAsync(string prefix, CancellationToken cancellationToken)
    {
        var page = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, MaxKeys = 1 }, cancellationToken);
        return page.S3Objects is [var first, ..] ? first : null;
    }

    private async Task DeleteBatchAsync(List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = Bucket,
            Quiet = true,
            Objects = [.. keys.Select(key => new KeyVersion { Key = key })],
        }, cancellationToken);
        keys.Clear();
        if (response.DeleteErrors is [var error, ..])
        {
            throw new AmazonS3Exception($"Deleting '{error.Key}' failed: {error.Code} {error.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aborting the multipart upload of {Key} failed ({Error}); a lifecycle rule on the bucket removes abandoned parts")]
    private static partial void LogAbortFailed(ILogger logger, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The S3 server of bucket {Bucket} does not implement UploadPartCopy: appends stream old bytes through this process and moves use one CopyObject (at most 5 GiB on AWS)")]
    private static partial void LogPartCopyUnsupported(ILogger logger, string bucket);
}

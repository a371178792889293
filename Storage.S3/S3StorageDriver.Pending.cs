using System.Buffers;
using System.Globalization;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace RegistryCloud.Storage.S3;

/// <summary>
/// Files being appended to ("pending"): an open multipart upload plus a record object beside the
/// file's key (<c>&lt;key&gt;~multipart</c>, a name no driver path can have). The record is what a
/// commit writes, in one PutObject: the upload's id, the parts that hold the file's bytes so far,
/// and the tail below S3's 5 MiB part minimum that cannot be a part yet (only the last part may be
/// smaller), which the next writer carries on from. So a PATCH uploads its own bytes once and
/// copies nothing, any replica resumes from the record, and bytes sent after the last record
/// belong to no file. A pending file becomes an object at its key (its upload completed) only
/// when something must read it or it is moved, which is how an upload's data becomes a blob.
/// <para>
/// An object at the key wins over a record beside it: a record is left there only by a step that
/// was cut short (an append to a whole object before it removed the object, a completion before it
/// removed the record), and the object then holds what the last finished commit wrote.
/// </para>
/// </summary>
public sealed partial class S3StorageDriver
{
    /// <summary>What a record's key adds to its file's key; '~' never appears in a driver path.</summary>
    internal const string PendingSuffix = "~multipart";

    private const string SizeMetadata = "size";
    private const string TailMetadata = "tail";
    private const string UploadMetadata = "upload";

    internal static string PendingKey(string key) => key + PendingSuffix;

    /// <summary>The size of the pending file whose record this is.</summary>
    internal static long PendingSize(GetObjectMetadataResponse record) =>
        long.Parse(record.Metadata[SizeMetadata] ?? "0", NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The multipart upload a record names, or null.</summary>
    internal static string? PendingUpload(GetObjectMetadataResponse record) =>
        record.Metadata[UploadMetadata] is { Length: > 0 } upload ? upload : null;

    /// <summary>
    /// The record of the pending file at <paramref name="key"/>, or null; its tail is read into
    /// <paramref name="tail"/> (from its start) when given, else into a new array.
    /// </summary>
    internal async Task<(S3Pending Pending, byte[] Tail)?> ReadPendingAsync(string key, byte[]? tail, CancellationToken cancellationToken)
    {
        using var response = await GetObjectAsync(PendingKey(key), offset: 0, cancellationToken);
        if (response is null)
        {
            return null;
        }

        var tailLength = int.Parse(response.Metadata[TailMetadata] ?? "0", NumberStyles.None, CultureInfo.InvariantCulture);
        var size = long.Parse(response.Metadata[SizeMetadata] ?? "0", NumberStyles.None, CultureInfo.InvariantCulture);
        tail ??= new byte[tailLength];
        if (tailLength > tail.Length || tailLength > size)
        {
            throw new IOException($"The record of '{key}' names a tail of {tailLength} bytes, more than its writers keep.");
        }

        await response.ResponseStream.ReadExactlyAsync(tail.AsMemory(0, tailLength), cancellationToken);
        var parts = new List<PartETag>();
        using var reader = new StreamReader(response.ResponseStream, Encoding.ASCII);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                parts.Add(new PartETag(int.Parse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture), line[(space + 1)..]));
            }
        }

        var upload = response.Metadata[UploadMetadata] is { Length: > 0 } id ? id : null;
        var modified = response.LastModified is { } lastModified ? new DateTimeOffset(lastModified.ToUniversalTime(), TimeSpan.Zero) : default;
        return (new S3Pending(upload, parts, size, tailLength, response.ETag, modified), tail);
    }

    /// <summary>
    /// Writes the record of a pending file, replacing exactly the record with ETag
    /// <paramref name="replacing"/> (or creating it when null): a writer that lost the file to
    /// another one fails here (on servers with conditional writes) instead of undoing its commit.
    /// Answers the new record's ETag.
    /// </summary>
    internal async Task<string> WritePendingAsync(
        string key, string? uploadId, IReadOnlyList<PartETag> parts, long size, ReadOnlyMemory<byte> tail, string? replacing, CancellationToken cancellationToken)
    {
        var listing = new StringBuilder(parts.Count * 40);
        foreach (var part in parts)
        {
            listing.Append(CultureInfo.InvariantCulture, $"{part.PartNumber} {part.ETag}\n");
        }

        var text = Encoding.ASCII.GetBytes(listing.ToString());
        var length = tail.Length + text.Length;
        var body = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            tail.CopyTo(body);
            text.CopyTo(body.AsSpan(tail.Length));
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = PendingKey(key),
                InputStream = new MemoryStream(body, 0, length, writable: false),
                UseChunkEncoding = false,
                IfMatch = replacing,
                IfNoneMatch = replacing is null ? "*" : null,
            };
            request.Metadata.Add(SizeMetadata, size.ToString(CultureInfo.InvariantCulture));
            request.Metadata.Add(TailMetadata, tail.Length.ToString(CultureInfo.InvariantCulture));
            if (uploadId is not null)
            {
                request.Metadata.Add(UploadMetadata, uploadId);
            }

            ApplyStorageSettings(request);
            return (await _client.PutObjectAsync(request, cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (S3Errors.IsConditionFailed(e) || S3Errors.IsNotFound(e))
        {
            throw new IOException($"The file '{key}' was changed or removed by another writer while this one wrote to it.", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>
    /// Makes a pending file the object at its key, holding exactly the bytes its record names: the
    /// tail goes up as the last part and the upload completes (or, with no parts, the tail is put
    /// as the object). The record goes after, so a cut-short settle leaves the object winning.
    /// </summary>
    internal async Task SettleAsync(string key, S3Pending pending, ReadOnlyMemory<byte> tail, CancellationToken cancellationToken)
    {
        if (pending.UploadId is not { } uploadId || pending.Parts.Count == 0)
        {
            await PutObjectAsync(key, tail, cancellationToken);
            if (pending.UploadId is { } unused)
            {
                await AbortQuietlyAsync(key, unused);
            }
        }
        else
        {
            var parts = new List<PartETag>(pending.Parts);
            if (!tail.IsEmpty)
            {
                parts.Add(await UploadPartAsync(key, uploadId, (parts[^1].PartNumber ?? parts.Count) + 1, tail, cancellationToken));
            }

            await CompleteAsync(key, uploadId, parts, cancellationToken);
        }

        await DeleteObjectAsync(PendingKey(key), cancellationToken);
    }

    /// <summary>
    /// A pending file for reading: its bytes when they are all a tail (nothing to assemble), else
    /// null after settling it, so the object at the key is read. False when there is no such file.
    /// </summary>
    private async Task<(bool Found, byte[]? Content)> ReadablePendingAsync(string key, CancellationToken cancellationToken)
    {
        if (await ReadPendingAsync(key, tail: null, cancellationToken) is not var (pending, tail))
        {
            return (false, null);
        }

        // S3 has no read of an unfinished upload's parts: the file becomes an object first.
        if (pending.Parts.Count == 0)
        {
            return (true, tail);
        }

        await SettleAsync(key, pending, tail, cancellationToken);
        return (true, null);
    }

    /// <summary>Aborts the upload a record names (before the record goes, so nothing is left that no record names).</summary>
    private async Task AbortPendingAsync(string pendingKey, CancellationToken cancellationToken)
    {
        if (await HeadAsync(pendingKey, cancellationToken) is { } record && PendingUpload(record) is { } upload)
        {
            await AbortQuietlyAsync(pendingKey[..^PendingSuffix.Length], upload);
        }
    }

    internal async Task<PartETag> UploadPartAsync(string key, string uploadId, int number, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var response = await _client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = number,
            PartSize = content.Length,
            InputStream = S3Buffers.AsStream(content),
            UseChunkEncoding = false,
        }, cancellationToken);
        return new PartETag(number, response.ETag);
    }

    internal Task DeleteObjectAsync(string key, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
}

/// <summary>A pending file's record: its upload and parts, its size, the length of its tail, and the record's version.</summary>
internal sealed record S3Pending(string? UploadId, IReadOnlyList<PartETag> Parts, long Size, int TailLength, string ETag, DateTimeOffset ModifiedAt);

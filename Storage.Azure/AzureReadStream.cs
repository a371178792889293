using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// A blob's bytes from an offset, seekable (<see cref="RangedReadStream"/>): a read after a seek
/// asks for a range of the same version (If-Match on the ETag).
/// </summary>
internal sealed class AzureReadStream : RangedReadStream
{
    private readonly BlobClient _blob;
    private readonly ETag _version;

    private AzureReadStream(BlobClient blob, long length, ETag version, long position, Stream? body)
        : base(length, position, body)
    {
        _blob = blob;
        _version = version;
    }

    /// <summary>The blob from <paramref name="offset"/> on, or null when there is no such blob.</summary>
    public static async Task<Stream?> OpenAsync(BlobClient blob, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var options = new BlobDownloadOptions { Range = offset == 0 ? default : new HttpRange(offset) };
            var result = (await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false)).Value;
            var length = TotalLength(result.Details.ContentRange, offset, result.Details.ContentLength);
            return new AzureReadStream(blob, length, result.Details.ETag, offset, result.Content);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // The blob is there; the offset is at or past its end.
            return new MemoryStream([], writable: false);
        }
    }

    protected override Stream OpenAt(long position) => _blob.DownloadStreaming(From(position)).Value.Content;

    protected override async ValueTask<Stream> OpenAtAsync(long position, CancellationToken cancellationToken) =>
        (await _blob.DownloadStreamingAsync(From(position), cancellationToken).ConfigureAwait(false)).Value.Content;

    protected override Exception? Failure(Exception exception) =>
        AzureFailure.Is(exception) ? AzureFailure.Wrap(exception, "read", _blob.Name) : null;

    private BlobDownloadOptions From(long position) => new()
    {
        Range = new HttpRange(position),
        Conditions = new BlobRequestConditions { IfMatch = _version },
    };
}

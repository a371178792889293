using Amazon.S3.Model;

namespace RegistryCloud.Storage.S3;

/// <summary>
/// An object's bytes from an offset, seekable (<see cref="RangedReadStream"/>): a read after a seek
/// asks for a range of the same version of the object (ETag condition).
/// </summary>
internal sealed class S3ReadStream(S3StorageDriver driver, string key, GetObjectResponse response, long offset)
    : RangedReadStream(TotalLength(response.ContentRange, offset, response.ContentLength), offset, response.ResponseStream)
{
    private readonly string _etag = response.ETag;

    protected override Stream OpenAt(long position) => OpenAtAsync(position, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    protected override async ValueTask<Stream> OpenAtAsync(long position, CancellationToken cancellationToken)
    {
        var answer = await driver.GetObjectAsync(key, position, cancellationToken, _etag, ranged: true)
            ?? throw new IOException($"The object '{key}' vanished while it was read.");
        return answer.ResponseStream;
    }
}

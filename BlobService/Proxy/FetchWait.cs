using RegistryCloud.Oci;
using RegistryCloud.Proxy;
using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Proxy;

/// <summary>
/// A pull waiting for another's fetch of the same blob (on any replica): it waits while the
/// fetch's progress record (the bytes it has so far, rewritten every second or so) moves, and no
/// longer than <paramref name="idle"/>, the upstream read timeout, without a move: a fetch stuck on
/// a silent upstream gives up after that long too, and a replica that stopped writing without
/// releasing its lock must not hold its waiters for ever.
/// </summary>
internal sealed class FetchWait(IStorageDriver driver, TimeProvider time, TimeSpan idle, ProxyTarget target, Digest digest)
{
    private long _since = time.GetTimestamp();
    private byte[]? _progress;

    public static string ProgressPath(Digest digest) => RegistryPaths.ProxyFetchDirectory(digest) + "/progress";

    /// <summary>Throws <see cref="UpstreamException"/> (503 to the client) once the fetch has been still for too long.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var progress = await driver.GetContentAsync(ProgressPath(digest), cancellationToken);
        if (progress is not null && (_progress is null || !progress.AsSpan().SequenceEqual(_progress)))
        {
            (_progress, _since) = (progress, time.GetTimestamp());
            return;
        }

        if (time.GetElapsedTime(_since) > idle)
        {
            throw new UpstreamException(
                UpstreamFailure.Unavailable, $"another pull is fetching {digest} from {target.Upstream.Name} and it made no progress for {idle.TotalSeconds:0}s; try again");
        }
    }
}

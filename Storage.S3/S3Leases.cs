using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Amazon.S3;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.Storage.S3;

/// <summary>
/// Locks as lease objects written with S3's conditional writes, so replicas sharing a bucket
/// exclude each other. The lease object sits at the lock's path and holds its holder's id and its
/// expiry. Taking it is a PutObject with <c>If-None-Match: *</c> (only one creator wins); a lease
/// past its expiry is taken over with <c>If-Match</c> on the ETag that was read (only one taker
/// wins); the holder renews it every third of its term with <c>If-Match</c> on its own ETag, and
/// releases it with a DeleteObject under the same condition. A holder that dies stops renewing, and
/// its lock frees itself when the lease expires (<see cref="S3StorageOptions.LockLease"/>).
/// Within one driver a table of the locks held here answers without a request.
/// <para>
/// Expiry is compared with this process's clock: replicas' clocks must agree to well within the
/// lease term (NTP does). On a server that ignores the conditions (older S3-compatible servers)
/// the leases exclude only callers of the same driver; the driver logs a warning once.
/// </para>
/// </summary>
internal sealed partial class S3Leases(S3StorageDriver driver, ILogger logger, TimeProvider time) : IDisposable
{
    private readonly S3StorageDriver _driver = driver;
    private readonly ILogger _logger = logger;
    private readonly TimeProvider _time = time;
    private readonly ConcurrentDictionary<string, Lease> _held = new(StringComparer.Ordinal);
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private int _probed;

    public async Task<StorageLock> TryAcquireAsync(string key, string? directoryPrefix, CancellationToken cancellationToken)
    {
        var lease = new Lease(this, key);
        if (!_held.TryAdd(key, lease))
        {
            return StorageLock.Busy;
        }

        try
        {
            if (Interlocked.Exchange(ref _probed, 1) == 0)
            {
                await WarnWithoutConditionalWritesAsync(cancellationToken);
            }

            if (directoryPrefix is not null && !await AnyUnderAsync(directoryPrefix, cancellationToken))
            {
                _held.TryRemove(key, out _);
                return StorageLock.Missing;
            }

            if (!await lease.TakeAsync(cancellationToken))
            {
                _held.TryRemove(key, out _);
                return StorageLock.Busy;
            }
        }
        catch
        {
            _held.TryRemove(key, out _);
            throw;
        }

        return StorageLock.Held(() =>
        {
            // Released before Dispose returns: a request that follows (on any replica) must find it free.
            try
            {
                Task.Run(lease.ReleaseAsync).Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException e)
            {
                LogReleaseFailed(_logger, key, e.InnerException?.Message ?? e.Message);
            }
            finally
            {
                _held.TryRemove(key, out _);
            }
        });
    }

    /// <summary>Logs once whether the locks can hold across replicas; a probe that fails only says so.</summary>
    private async Task WarnWithoutConditionalWritesAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await ProbeConditionalWritesAsync(cancellationToken))
            {
                LogNoConditionalWrites(_logger, _driver.Bucket);
            }
        }
        catch (AmazonS3Exception e)
        {
            LogProbeFailed(_logger, _driver.Bucket, e.ErrorCode ?? e.StatusCode.ToString());
        }
    }

    public async Task<bool> ProbeConditionalWritesAsync(CancellationToken cancellationToken)
    {
        var key = _driver.Keys.Of($"/_registrycloud/probes/{Guid.NewGuid():N}");
        await _driver.PutObjectAsync(key, Encoding.UTF8.GetBytes("probe"), cancellationToken, ifNoneMatch: "*");
        try
        {
            await _driver.PutObjectAsync(key, Encoding.UTF8.GetBytes("probe"), cancellationToken, ifNoneMatch: "*");
            return false;
        }
        catch (AmazonS3Exception e) when (S3Errors.IsConditionFailed(e))
        {
            return true;
        }
        finally
        {
            await _driver.Client.DeleteObjectAsync(_driver.Bucket, key, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        foreach (var lease in _held.Values)
        {
            lease.StopRenewing();
        }
    }

    private async Task<bool> AnyUnderAsync(string prefix, CancellationToken cancellationToken)
    {
        var page = await _driver.Client.ListObjectsV2Async(
            new Amazon.S3.Model.ListObjectsV2Request { BucketName = _driver.Bucket, Prefix = prefix, MaxKeys = 1 }, cancellationToken);
        return page.S3Objects is { Count: > 0 };
    }

    private byte[] LeaseContent() => Encoding.UTF8.GetBytes(
        $"{_owner} {_time.GetUtcNow().Add(_driver.Options.LockLease).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The expiry written in a lease object, or null when it cannot be read (then it counts as expired).</summary>
    private static DateTimeOffset? ExpiryOf(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && long.TryParse(text.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The S3 server of bucket {Bucket} ignores If-None-Match on PutObject: storage locks exclude only requests of this process. Run a single replica on this server, or use one with conditional writes (AWS S3 has them)")]
    private static partial void LogNoConditionalWrites(ILogger logger, string bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check whether the S3 server of bucket {Bucket} honours conditional writes ({Error}); storage locks rely on them")]
    private static partial void LogProbeFailed(ILogger logger, string bucket, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease {Key} failed: another holder took it over, or it is gone ({Error})")]
    private static partial void LogLeaseLost(ILogger logger, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the lease {Key} failed ({Error}); it frees itself when it expires")]
    private static partial void LogReleaseFailed(ILogger logger, string key, string error);

    /// <summary>One lock held (or being taken) through this driver.</summary>
    private sealed class Lease(S3Leases leases, string key)
    {
        private readonly SemaphoreSlim _requests = new(1, 1);
        private string? _etag;
        private ITimer? _renewal;

        public async Task<bool> TakeAsync(CancellationToken cancellationToken)
        {
            var driver = leases._driver;
            try
            {
                _etag = (await driver.PutObjectAsync(key, leases.LeaseContent(), cancellationToken, ifNoneMatch: "*")).ETag;
            }
            catch (AmazonS3Exception e) when (S3Errors.IsConditionFailed(e))
            {
                // Someone's lease is there: take it over only if it has expired, and only if it is
                // still the lease that was read.
                using var current = await driver.GetObjectAsync(key, 0, cancellationToken);
                if (current is null)
                {
                    return false;
                }

                var content = new byte[current.ContentLength];
                await current.ResponseStream.ReadExactlyAsync(content, cancellationToken);
                if (ExpiryOf(content) is { } expiry && expiry > leases._time.GetUtcNow())
                {
                    return false;
                }

                try
                {
                    _etag = (await driver.PutObjectAsync(key, leases.LeaseContent(), cancellationToken, ifMatch: current.ETag)).ETag;
                }
                catch (AmazonS3Exception taken) when (S3Errors.IsConditionFailed(taken) || S3Errors.IsNotFound(taken))
                {
                    return false;
                }
            }

            var period = driver.Options.LockLease / 3;
            _renewal = leases._time.CreateTimer(_ => _ = RenewAsync(), null, period, period);
            return true;
        }

        public async Task ReleaseAsync()
        {
            // One request on the lease at a time: a renewal in flight lands before the release
            // reads the ETag, so the conditional delete names the lease as it is.
            await _requests.WaitAsync();
            try
            {
                StopRenewing();
                var etag = _etag;
                _etag = null;
                if (etag is null)
                {
                    return;
                }

                await leases._driver.Client.DeleteObjectAsync(
                    new Amazon.S3.Model.DeleteObjectRequest { BucketName = leases._driver.Bucket, Key = key, IfMatch = etag }, CancellationToken.None);
            }
            catch (AmazonS3Exception e) when (S3Errors.IsConditionFailed(e) || S3Errors.IsNotFound(e))
            {
                // No longer ours (taken over after a lapse) or already removed with its directory.
            }
            finally
            {
                _requests.Release();
            }
        }

        public void StopRenewing()
        {
            Interlocked.Exchange(ref _renewal, null)?.Dispose();
        }

        /// <summary>
        /// Renews the lease; ticks are serialized, so a renewal slower than the period is followed
        /// by one with its new ETag rather than a stale one that would look like a lost lease.
        /// </summary>
        private async Task RenewAsync()
        {
            await _requests.WaitAsync();
            try
            {
                if (_etag is not { } etag)
                {
                    return;
                }

                _etag = (await leases._driver.PutObjectAsync(key, leases.LeaseContent(), CancellationToken.None, ifMatch: etag)).ETag;
            }
            catch (AmazonS3Exception e) when (S3Errors.IsConditionFailed(e) || S3Errors.IsNotFound(e))
            {
                StopRenewing();
                LogLeaseLost(leases._logger, key, e.ErrorCode ?? e.StatusCode.ToString());
            }
            catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException or TaskCanceledException)
            {
                // A transient failure: the next tick tries again, well before the lease lapses.
                LogLeaseLost(leases._logger, key, e.Message);
            }
            finally
            {
                _requests.Release();
            }
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Lifecycle.Scrub;

/// <summary>
/// Re-hashes every blob in the content store. A blob whose bytes do not hash to its digest is moved
/// out of the store into the quarantine (<see cref="RegistryPaths.QuarantineRoot"/>), so that the
/// next push of the right bytes stores them again (a HEAD answers 404 until then). Reading may be
/// held to a rate so a background scrub does not compete with pulls.
/// </summary>
/// <param name="emit">A line per finding, and a summary.</param>
/// <param name="quarantined">Told of each blob moved into the quarantine, with its size.</param>
public sealed class Scrubber(
    IStorageDriver driver, TimeProvider time, Action<string>? emit = null, Func<Digest, long, CancellationToken, ValueTask>? quarantined = null)
{
    private const int ChunkSize = 1024 * 1024;

    public async Task<ScrubReport> RunAsync(ScrubOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var report = new ScrubReport();
        var throttle = new Throttle(options.BytesPerSecond, time);
        await foreach (var (directory, named) in BlobDirectories.ListAsync(driver, perPrefix: null, cancellationToken))
        {
            if (named is { } digest)
            {
                report = await CheckAsync(digest, directory + "/data", options, throttle, report, cancellationToken);
            }
        }

        report = report with { Duration = clock.Elapsed };
        emit?.Invoke($"{report.Checked} blobs checked ({report.Bytes} bytes): {report.Mismatched} did not match their digest, {report.Quarantined} quarantined, {report.Errors} could not be read");
        return report;
    }

    private async Task<ScrubReport> CheckAsync(Digest digest, string path, ScrubOptions options, Throttle throttle, ScrubReport report, CancellationToken cancellationToken)
    {
        try
        {
            if (await HashAsync(path, digest.Algorithm, throttle, cancellationToken) is not { } hashed)
            {
                return report;
            }

            report = report with { Checked = report.Checked + 1, Bytes = report.Bytes + hashed.Size };
            if (hashed.Digest == digest)
            {
                return report;
            }

            emit?.Invoke($"blob {digest} does not match its {hashed.Size} bytes (they hash to {hashed.Digest})");
            report = report with { Mismatched = report.Mismatched + 1 };
            return !options.DryRun && await QuarantineAsync(digest, path, cancellationToken)
                ? report with { Quarantined = report.Quarantined + 1 }
                : report;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            emit?.Invoke($"blob {digest}: {error.Message}");
            return report with { Errors = report.Errors + 1 };
        }
    }

    /// <summary>
    /// Moves the blob's data into the quarantine, then hashes what was moved: a push that committed
    /// verified bytes over the bad ones just before the move moved the good copy, which goes back.
    /// </summary>
    private async Task<bool> QuarantineAsync(Digest digest, string path, CancellationToken cancellationToken)
    {
        var target = RegistryPaths.Quarantined(digest, time.GetUtcNow());
        if (!await driver.MoveAsync(path, target, cancellationToken))
        {
            return false;
        }

        var moved = await HashAsync(target, digest.Algorithm, new Throttle(null, time), cancellationToken);
        if (moved?.Digest == digest)
        {
            if (await driver.StatAsync(path, cancellationToken) is null)
            {
                await driver.MoveAsync(target, path, cancellationToken);
            }
            else
            {
                await driver.DeleteAsync(target, cancellationToken);
            }

            return false;
        }

        emit?.Invoke($"blob {digest} moved to {target}");
        if (quarantined is not null)
        {
            await quarantined(digest, moved?.Size ?? 0, cancellationToken);
        }

        return true;
    }

    private async Task<(Digest Digest, long Size)?> HashAsync(string path, string algorithm, Throttle throttle, CancellationToken cancellationToken)
    {
        var stream = await driver.OpenReadAsync(path, 0, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            using var hash = Digest.CreateHash(algorithm);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                long size = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    size += read;
                    await throttle.TakeAsync(read, cancellationToken);
                }

                return (Digest.FromHash(algorithm, hash.GetHashAndReset()), size);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Holds reading to a rate: after each chunk, waits until the bytes read so far are due.</summary>
    private sealed class Throttle(long? bytesPerSecond, TimeProvider time)
    {
        private readonly long _started = time.GetTimestamp();
        private long _bytes;

        public Task TakeAsync(int bytes, CancellationToken cancellationToken)
        {
            if (bytesPerSecond is not > 0)
            {
                return Task.CompletedTask;
            }

            _bytes += bytes;
            var due = TimeSpan.FromSeconds((double)_bytes / bytesPerSecond.Value) - time.GetElapsedTime(_started);
            return due > TimeSpan.Zero ? Task.Delay(due, time, cancellationToken) : Task.CompletedTask;
        }
    }
}

public sealed record ScrubOptions
{
    /// <summary>Reports mismatches, moves nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The most bytes read per second; null reads as fast as the disk gives.</summary>
    public long? BytesPerSecond { get; init; }
}

public sealed record ScrubReport
{
    public TimeSpan Duration { get; init; }
    public int Checked { get; init; }
    public long Bytes { get; init; }
    public int Mismatched { get; init; }
    public int Quarantined { get; init; }
    public int Errors { get; init; }
}

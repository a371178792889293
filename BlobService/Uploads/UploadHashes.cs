using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// Running hashes of uploads in progress on this replica, so each chunk is hashed once, as it
/// is written. Only a shortcut: when a chunk lands on another replica (or after a restart) the
/// hash is rebuilt from the stored bytes, so the upload itself lives in storage alone.
/// </summary>
internal sealed class UploadHashes
{
    // Abandoned uploads must not grow memory without bound; a dropped entry only costs a rehash.
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<string, RunningHash> _entries = new(StringComparer.Ordinal);

    /// <summary>Takes the running hash of an upload if it covers exactly <paramref name="offset"/> bytes.</summary>
    public IncrementalHash? Take(string uploadId, string algorithm, long offset)
    {
        if (!_entries.TryRemove(uploadId, out var entry))
        {
            return null;
        }

        if (entry.Offset == offset && entry.Algorithm == algorithm)
        {
            return entry.Hash;
        }

        entry.Hash.Dispose();
        return null;
    }

    public void Keep(string uploadId, string algorithm, long offset, IncrementalHash hash)
    {
        if (_entries.Count >= MaxEntries)
        {
            foreach (var key in _entries.Keys)
            {
                Forget(key);
                if (_entries.Count < MaxEntries / 2)
                {
                    break;
                }
            }
        }

        var entry = new RunningHash(algorithm, offset, hash);
        if (!_entries.TryAdd(uploadId, entry))
        {
            // A concurrent request on the same upload got there first; neither hash is trusted.
            hash.Dispose();
            Forget(uploadId);
        }
    }

    public void Forget(string uploadId)
    {
        if (_entries.TryRemove(uploadId, out var entry))
        {
            entry.Hash.Dispose();
        }
    }

    private sealed record RunningHash(string Algorithm, long Offset, IncrementalHash Hash);
}

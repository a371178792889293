using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// Writes a block blob a chunk at a time: each full chunk is staged as an uncommitted block while
/// the next fills (pooled buffers of <see cref="AzureStorageDriver.ChunkSize"/>, at most three, are
/// all the memory a writer holds), and <see cref="CommitAsync"/> commits the blob's block list with
/// the new blocks at its end. Until
/// then readers, and the blob's size, show the last committed content; after it, the service keeps
/// the bytes (it answers a commit once they are stored). An appending writer, in this process or
/// another, starts from the committed list, so it resumes exactly where the last commit ended.
/// <para>
/// The commit is conditional on the version the writer started from: a commit by another writer
/// meanwhile fails this one (<see cref="IOException"/>) instead of losing either's bytes. Disposing
/// commits what was written, as closing a file keeps it.
/// </para>
/// </summary>
internal sealed class AzureBlobWriter : IStorageWriter
{
    /// <summary>Blocks staged at once: a writer holds at most this many chunks in flight plus the one it fills.</summary>
    private const int MaxInFlight = 2;

    private readonly BlockBlobClient _blob;
    private readonly ArrayPool<byte> _buffers;
    private readonly List<string> _blocks;
    private readonly int _chunkSize;
    private readonly Queue<Task> _staging = new();
    private byte[]? _buffer;
    private int _buffered;
    private ETag _version;
    private bool _uncommitted;
    private bool _failed;

    private AzureBlobWriter(BlockBlobClient blob, ArrayPool<byte> buffers, int chunkSize, List<string> blocks, long size, ETag version, bool uncommitted)
    {
        _blob = blob;
        _buffers = buffers;
        _chunkSize = chunkSize;
        _blocks = blocks;
        Size = size;
        _version = version;
        _uncommitted = uncommitted;
    }

    public long Size { get; private set; }

    public static async Task<IStorageWriter> OpenAsync(AzureStorageDriver driver, string name, bool append, CancellationToken cancellationToken)
    {
        var blob = driver.Block(name);
        if (append)
        {
            BlockList? list = null;
            try
            {
                list = (await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Nothing to append to: a new file.
            }

            if (list is not null)
            {
                var blocks = new List<string>();
                long committed = 0;
                foreach (var block in list.CommittedBlocks)
                {
                    blocks.Add(block.Name);
                    committed += block.SizeLong;
                }

                if (committed == list.BlobContentLength)
                {
                    return new AzureBlobWriter(blob, driver.ChunkBuffers, driver.ChunkSize, blocks, committed, list.ETag, uncommitted: false);
                }

                // Content written whole (Put Blob) has no blocks to list: copy it into blocks of its own,
                // server-side, so the first commit keeps it in front of the new bytes.
                var restaged = await driver.Copier.StageAsync(driver.Blob(name), list.BlobContentLength, list.ETag, blob, cancellationToken).ConfigureAwait(false);
                return new AzureBlobWriter(blob, driver.ChunkBuffers, driver.ChunkSize, restaged, list.BlobContentLength, list.ETag, uncommitted: true);
            }
        }

        // The file exists, empty, from the moment it is opened (the contract), and replaces any before.
        var created = await driver.WithContainerAsync(
            () => blob.UploadAsync(Stream.Null, new BlobUploadOptions(), cancellationToken), cancellationToken).ConfigureAwait(false);
        return new AzureBlobWriter(blob, driver.ChunkBuffers, driver.ChunkSize, [], 0, created.Value.ETag, uncommitted: false);
    }

    /// <summary>A new block id: every id of a blob must have the same length, and these never collide across writers.</summary>
    internal static string NewBlockId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray());

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfDone();
        while (!data.IsEmpty)
        {
            _buffer ??= _buffers.Rent(_chunkSize);
            var count = Math.Min(data.Length, _chunkSize - _buffered);
            data.Span[..count].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += count;
            Size += count;
            data = data[count..];
            if (_buffered == _chunkSize)
            {
                await StageAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfDone();
        if (_buffered > 0)
        {
            await StageAsync(cancellationToken).ConfigureAwait(false);
        }

        await DrainAsync().ConfigureAwait(false);
        if (!_uncommitted)
        {
            return;
        }

        try
        {
            var options = new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfMatch = _version } };
            var result = await _blob.CommitBlockListAsync(_blocks, options, cancellationToken).ConfigureAwait(false);
            _version = result.Value.ETag;
            _uncommitted = false;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            _failed = true;
            throw new IOException($"Blob '{_blob.Name}' was changed or removed by another writer while this one wrote to it.", e);
        }
        catch (Exception e) when (AzureFailure.Is(e))
        {
            _failed = true;
            throw AzureFailure.Wrap(e, "commit", _blob.Name);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_failed && (_buffered > 0 || _uncommitted))
            {
                await CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _failed = true;
            while (_staging.TryDequeue(out var staging))
            {
                // Only after a failure are blocks still in flight here; their buffers go back as they end.
                await staging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (_buffer is not null)
            {
                _buffers.Return(_buffer);
                _buffer = null;
            }
        }
    }

    private void ThrowIfDone()
    {
        if (_failed)
        {
            throw new InvalidOperationException($"The writer of '{_blob.Name}' failed or was disposed.");
        }
    }

    /// <summary>
    /// Hands the full buffer to the service as the next block, without waiting for it unless
    /// <see cref="MaxInFlight"/> blocks are already on their way: the body keeps arriving while
    /// earlier chunks upload. The block's id takes its place in the list now, so order is kept.
    /// </summary>
    private async Task StageAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        while (_staging.Count >= MaxInFlight)
        {
            await WaitAsync(_staging.Dequeue()).ConfigureAwait(false);
        }

        var id = NewBlockId();
        _blocks.Add(id);
        _uncommitted = true;
        // Not the request's token: bytes that arrived are kept even when the request then breaks off
        // (the caller still commits them), so a block on its way is let finish.
        _staging.Enqueue(StageBlockAsync(id, _buffer!, _buffered));
        _buffer = null;
        _buffered = 0;
    }

    private async Task StageBlockAsync(string id, byte[] buffer, int length)
    {
        try
        {
            using var content = new MemoryStream(buffer, 0, length, writable: false);
            await _blob.StageBlockAsync(id, content, new BlockBlobStageBlockOptions(), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    private async Task DrainAsync()
    {
        while (_staging.TryDequeue(out var staging))
        {
            await WaitAsync(staging).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A block that fails to stage leaves a gap in the list: this writer's uncommitted bytes are
    /// lost and it stops (what earlier commits stored stays, and a retry resumes from there).
    /// </summary>
    private async Task WaitAsync(Task staging)
    {
        try
        {
            await staging.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _failed = true;
            if (AzureFailure.Is(e))
            {
                throw AzureFailure.Wrap(e, "write", _blob.Name);
            }

            throw;
        }
    }
}

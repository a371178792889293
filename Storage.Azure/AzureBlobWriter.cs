using System.Buffers;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// Writes a block blob a chunk at a time: each full chunk is staged as an uncommitted block (one
/// pooled buffer of <see cref="AzureStorageDriver.ChunkSize"/> is all the memory a writer holds),
/// and <see cref="CommitAsync"/> commits the blob's block list with the new blocks at its end. Until
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
    private readonly BlockBlobClient _blob;
    private readonly List<string> _blocks;
    private readonly int _chunkSize;
    private byte[]? _buffer;
    private int _buffered;
    private ETag _version;
    private bool _uncommitted;
    private bool _failed;

    private AzureBlobWriter(BlockBlobClient blob, int chunkSize, List<string> blocks, long size, ETag version, bool uncommitted)
    {
        _blob = blob;
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
                    return new AzureBlobWriter(blob, driver.ChunkSize, blocks, committed, list.ETag, uncommitted: false);
                }

                // Content written whole (Put Blob) has no blocks to list: copy it into blocks of its own,
                // server-side, so the first commit keeps it in front of the new bytes.
                var restaged = await driver.Copier.StageAsync(driver.Blob(name), list.BlobContentLength, list.ETag, blob, cancellationToken).ConfigureAwait(false);
                return new AzureBlobWriter(blob, driver.ChunkSize, restaged, list.BlobContentLength, list.ETag, uncommitted: true);
            }
        }

        // The file exists, empty, from the moment it is opened (the contract), and replaces any before.
        var created = await driver.WithContainerAsync(
            () => blob.UploadAsync(Stream.Null, new BlobUploadOptions(), cancellationToken), cancellationToken).ConfigureAwait(false);
        return new AzureBlobWriter(blob, driver.ChunkSize, [], 0, created.Value.ETag, uncommitted: false);
    }

    /// <summary>A new block id: every id of a blob must have the same length, and these never collide across writers.</summary>
    internal static string NewBlockId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray());

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfDone();
        while (!data.IsEmpty)
        {
            _buffer ??= ArrayPool<byte>.Shared.Rent(_chunkSize);
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
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }

            _failed = true;
        }
    }

    private void ThrowIfDone()
    {
        if (_failed)
        {
            throw new InvalidOperationException($"The writer of '{_blob.Name}' failed or was disposed.");
        }
    }

    private async Task StageAsync(CancellationToken cancellationToken)
    {
        var id = NewBlockId();
        try
        {
            using var content = new MemoryStream(_buffer!, 0, _buffered, writable: false);
            await _blob.StageBlockAsync(id, content, new BlockBlobStageBlockOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The chunk is lost; what was staged before it is still committed by a later commit.
            Size -= _buffered;
            _buffered = 0;
            if (AzureFailure.Is(e))
            {
                throw AzureFailure.Wrap(e, "write", _blob.Name);
            }

            throw;
        }

        _blocks.Add(id);
        _buffered = 0;
        _uncommitted = true;
    }
}

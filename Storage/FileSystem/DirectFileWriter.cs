using Microsoft.Win32.SafeHandles;

namespace RegistryCloud.Storage.FileSystem;

/// <summary>
/// The filesystem driver's writer for blob data on Linux: whole 512 KiB blocks go to the disk with
/// <c>O_DIRECT</c>, by DMA from a page-aligned staging block, instead of being copied into new
/// page-cache pages and flushed again by the commit's fsync: that copy cost more CPU than hashing
/// the bytes (docs/performance.md, "Measured design choices"). Two blocks alternate, so one
/// fills while the other is written.
/// <para>
/// Alignment: an append that starts mid-block rereads the partial block and rewrites it with the
/// new bytes (the same bytes, so a crash meanwhile changes nothing); the tail that does not fill a
/// block is written through the page cache when the writer flushes, and stays staged in case more
/// follows. A file system that refuses <c>O_DIRECT</c> at open gets the buffered writer instead;
/// one that refuses it at the first write gets buffered writes from then on.
/// </para>
/// <para>
/// The price: a blob just pushed is not in the page cache, so its pulls read from the disk
/// (<see cref="DirectFileReader"/> does so without filling the cache). Prefetching it after the
/// commit was measured and dropped: filling the cache costs the same CPU the buffered write did,
/// and it slowed the pushes it competed with while leaving pulls unchanged (docs/performance.md,
/// "Measured design choices").
/// </para>
/// </summary>
internal sealed class DirectFileWriter : IStorageWriter
{
    private readonly SafeFileHandle _handle;
    private Memory<byte> _block = AlignedBlockPool.Rent();
    private Memory<byte> _spare;
    private long _blockOffset;
    private int _staged;
    private bool _direct = true;
    private bool _directRefused;
    private Task _pending = Task.CompletedTask;

    private DirectFileWriter(SafeFileHandle handle, long length)
    {
        _handle = handle;
        _blockOffset = length - (length % DirectIo.Alignment);
        var head = (int)(length - _blockOffset);
        if (head > 0)
        {
            // Read as a whole aligned block; the read stops at the end of the file.
            var read = DirectIo.Read(handle, _block.Span[..DirectIo.Alignment], _blockOffset, out var refused);
            if (refused)
            {
                // A file system that took the flag but refuses direct reads: buffered from here on.
                _direct = false;
                _directRefused = true;
            }

            if (read != head)
            {
                throw new IOException($"Reread {read} of the {head} bytes that end the file.");
            }

            _staged = head;
        }
    }

    public long Size => _blockOffset + _staged;

    /// <summary>A direct writer for the file, or null when this platform or file system has no direct I/O.</summary>
    public static DirectFileWriter? TryOpen(string path, bool append)
    {
        if (!DirectIo.IsAvailable)
        {
            return null;
        }

        var handle = File.OpenHandle(path, append ? FileMode.OpenOrCreate : FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (!DirectIo.TrySet(handle, direct: true))
            {
                handle.Dispose();
                return null;
            }

            return new DirectFileWriter(handle, RandomAccess.GetLength(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var count = Math.Min(data.Length, AlignedBlockPool.BlockSize - _staged);
            data.Span[..count].CopyTo(_block.Span[_staged..]);
            _staged += count;
            data = data[count..];
            if (_staged == AlignedBlockPool.BlockSize)
            {
                await _pending;
                _pending = WriteBlockAsync(_block, _blockOffset, cancellationToken);

                // The second block only once a first one is full: a small upload holds one.
                (_block, _spare) = (_spare.IsEmpty ? AlignedBlockPool.Rent() : _spare, _block);
                _blockOffset += AlignedBlockPool.BlockSize;
                _staged = 0;
            }
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        RandomAccess.FlushToDisk(_handle);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // What arrived before a failure stays in the file, as with a buffered stream.
            await FlushAsync(CancellationToken.None);
        }
        finally
        {
            await _pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            AlignedBlockPool.Return(_block);
            if (!_spare.IsEmpty)
            {
                AlignedBlockPool.Return(_spare);
            }
            _handle.Dispose();
        }
    }

    /// <summary>Writes every staged byte; the partial block at the end stays staged.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _pending;
        var aligned = _staged - (_staged % DirectIo.Alignment);
        if (aligned > 0)
        {
            await WriteBlockAsync(_block[..aligned], _blockOffset, cancellationToken);
        }

        var tail = _staged - aligned;
        if (tail > 0)
        {
            SetDirect(false);
            await RandomAccess.WriteAsync(_handle, _block[aligned.._staged], _blockOffset + aligned, cancellationToken);
        }

        if (aligned > 0)
        {
            _block.Span[aligned.._staged].CopyTo(_block.Span);
            _blockOffset += aligned;
            _staged = tail;
        }
    }

    private async Task WriteBlockAsync(ReadOnlyMemory<byte> block, long offset, CancellationToken cancellationToken)
    {
        if (!_directRefused && SetDirect(true))
        {
            try
            {
                await RandomAccess.WriteAsync(_handle, block, offset, cancellationToken);
                return;
            }
            catch (IOException)
            {
                // EINVAL from a file system that took the flag but not the write: buffered from now on.
                _directRefused = true;
            }
        }

        SetDirect(false);
        await RandomAccess.WriteAsync(_handle, block, offset, cancellationToken);
    }

    private bool SetDirect(bool direct)
    {
        if (_direct != direct)
        {
            if (!DirectIo.TrySet(_handle, direct))
            {
                _directRefused |= direct;
                return false;
            }

            _direct = direct;
        }

        return true;
    }
}

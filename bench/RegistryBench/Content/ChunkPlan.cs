namespace RegistryCloud.Bench.Content;

/// <summary>One chunk of a chunked upload: <c>Content-Range: First-Last</c> (inclusive).</summary>
internal readonly record struct Chunk(long Offset, long Length)
{
    public long Last => Offset + Length - 1;

    public string ContentRange => $"{Offset}-{Last}";
}

/// <summary>How a blob is cut into chunks for PATCH uploads: full chunks, then one partial chunk.</summary>
internal static class ChunkPlan
{
    public static IReadOnlyList<Chunk> Split(long size, long chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        var chunks = new List<Chunk>((int)((size + chunkSize - 1) / chunkSize));
        for (long offset = 0; offset < size; offset += chunkSize)
        {
            chunks.Add(new Chunk(offset, Math.Min(chunkSize, size - offset)));
        }

        return chunks;
    }
}

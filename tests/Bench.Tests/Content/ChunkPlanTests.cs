using RegistryCloud.Bench.Content;

namespace RegistryCloud.Bench.Tests.Content;

public sealed class ChunkPlanTests
{
    private const long Chunk = 8L << 20;

    [Fact]
    public void A_blob_that_is_not_a_multiple_of_the_chunk_size_ends_with_a_partial_chunk()
    {
        var chunks = ChunkPlan.Split(20L << 20, Chunk);

        Assert.Equal([new Chunk(0, Chunk), new Chunk(Chunk, Chunk), new Chunk(2 * Chunk, 4L << 20)], chunks);
        Assert.Equal(["0-8388607", "8388608-16777215", "16777216-20971519"], chunks.Select(c => c.ContentRange));
    }

    [Fact]
    public void A_blob_of_whole_chunks_has_no_empty_last_chunk()
    {
        var chunks = ChunkPlan.Split(3 * Chunk, Chunk);

        Assert.Equal(3, chunks.Count);
        Assert.Equal(3 * Chunk - 1, chunks[^1].Last);
    }

    [Fact]
    public void A_blob_smaller_than_a_chunk_is_one_chunk()
    {
        Assert.Equal([new Chunk(0, 5)], ChunkPlan.Split(5, Chunk));
    }

    [Fact]
    public void An_empty_blob_has_no_chunks()
    {
        Assert.Empty(ChunkPlan.Split(0, Chunk));
    }

    [Fact]
    public void Chunks_cover_the_blob_without_gaps_or_overlaps()
    {
        var size = (512L << 20) + 12345;
        var chunks = ChunkPlan.Split(size, Chunk);

        var expectedOffset = 0L;
        foreach (var chunk in chunks)
        {
            Assert.Equal(expectedOffset, chunk.Offset);
            expectedOffset += chunk.Length;
        }

        Assert.Equal(size, expectedOffset);
        Assert.Equal(12345, chunks[^1].Length);
    }
}

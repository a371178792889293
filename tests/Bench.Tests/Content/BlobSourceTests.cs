using System.Security.Cryptography;
using RegistryCloud.Bench.Content;

namespace RegistryCloud.Bench.Tests.Content;

public sealed class BlobSourceTests
{
    private const int Mib = 1 << 20;

    [Fact]
    public void The_same_seed_gives_the_same_bytes_every_time()
    {
        var first = Materialize(new BlobSource(42, 3 * Mib + 5));
        var second = Materialize(new BlobSource(42, 3 * Mib + 5));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_seeds_give_different_bytes()
    {
        Assert.NotEqual(Materialize(new BlobSource(1, 4096)), Materialize(new BlobSource(2, 4096)));
    }

    [Fact]
    public void A_stream_of_known_seed_starts_with_the_splitmix64_words_of_that_seed()
    {
        var bytes = Materialize(new BlobSource(7, 16));

        Assert.Equal(BlobSource.SplitMix64(7, 0), BitConverter.ToUInt64(bytes, 0));
        Assert.Equal(BlobSource.SplitMix64(7, 1), BitConverter.ToUInt64(bytes, 8));
    }

    [Fact]
    public void Blocks_after_the_first_differ_from_it_though_they_share_the_pattern()
    {
        var bytes = Materialize(new BlobSource(3, 3 * Mib));

        Assert.False(bytes.AsSpan(0, Mib).SequenceEqual(bytes.AsSpan(Mib, Mib)));
        Assert.False(bytes.AsSpan(Mib, Mib).SequenceEqual(bytes.AsSpan(2 * Mib, Mib)));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(Mib - 3, 20)]
    [InlineData(Mib + 3, 2)]
    [InlineData(2 * Mib - 1, Mib + 7)]
    public void Filling_from_any_offset_gives_the_same_bytes_as_reading_from_the_start(int offset, int count)
    {
        var source = new BlobSource(9, 4 * Mib);
        var whole = Materialize(source);
        var part = new byte[count];

        source.Fill(offset, part);

        Assert.Equal(whole.AsSpan(offset, count).ToArray(), part);
    }

    [Fact]
    public void Filling_past_the_end_of_the_blob_is_refused()
    {
        var source = new BlobSource(1, 100);

        Assert.Throws<ArgumentOutOfRangeException>(() => source.Fill(90, new byte[11]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(Mib + 1)]
    [InlineData(3 * Mib - 7)]
    public async Task A_generated_request_body_is_exactly_the_blob_size(int size)
    {
        var source = new BlobSource(5, size);
        using var content = new GeneratedContent(source);

        var body = await content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(size, content.Headers.ContentLength);
        Assert.Equal(Materialize(source), body);
    }

    [Fact]
    public async Task A_generated_chunk_body_is_that_range_of_the_blob()
    {
        var source = new BlobSource(6, 3 * Mib);
        using var content = new GeneratedContent(source, Mib - 10, Mib + 20);

        var body = await content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Materialize(source).AsSpan(Mib - 10, Mib + 20).ToArray(), body);
    }

    [Fact]
    public void The_computed_digest_is_the_sha256_of_the_whole_blob()
    {
        var source = new BlobSource(11, 2 * Mib + 3);

        var digest = source.ComputeDigest();

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Materialize(source))), digest.ToString());
    }

    private static byte[] Materialize(BlobSource source)
    {
        var bytes = new byte[source.Length];
        source.Fill(0, bytes);
        return bytes;
    }
}

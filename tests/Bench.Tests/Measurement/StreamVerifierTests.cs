using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Tests.Measurement;

public sealed class StreamVerifierTests
{
    private static readonly byte[] Content = Bytes(3 * StreamVerifier.BufferSize + 17);

    [Fact]
    public async Task A_body_with_the_expected_bytes_verifies()
    {
        var result = await StreamVerifier.VerifyAsync(new MemoryStream(Content), BlobDigest.Compute(Content), Content.Length, TestContext.Current.CancellationToken);

        Assert.True(result.Matches);
        Assert.Equal(Content.Length, result.Bytes);
    }

    [Fact]
    public async Task One_wrong_byte_in_a_streamed_body_is_caught()
    {
        var corrupted = (byte[])Content.Clone();
        corrupted[2 * StreamVerifier.BufferSize + 5] ^= 0x01;

        var result = await StreamVerifier.VerifyAsync(new MemoryStream(corrupted), BlobDigest.Compute(Content), Content.Length, TestContext.Current.CancellationToken);

        Assert.False(result.Matches);
        Assert.Equal(Content.Length, result.Bytes);
        Assert.Contains("expected", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_cut_short_is_caught()
    {
        var result = await StreamVerifier.VerifyAsync(new MemoryStream(Content, 0, Content.Length - 1), BlobDigest.Compute(Content), Content.Length, TestContext.Current.CancellationToken);

        Assert.False(result.Matches);
        Assert.Equal(Content.Length - 1, result.Bytes);
    }

    [Fact]
    public async Task A_body_that_arrives_in_small_pieces_verifies_the_same()
    {
        var result = await StreamVerifier.VerifyAsync(new TrickleStream(Content, 1000), BlobDigest.Compute(Content), Content.Length, TestContext.Current.CancellationToken);

        Assert.True(result.Matches);
    }

    [Fact]
    public async Task A_right_length_with_a_wrong_digest_does_not_verify()
    {
        var other = BlobDigest.Compute([1, 2, 3]);

        var result = await StreamVerifier.VerifyAsync(new MemoryStream(Content), other, Content.Length, TestContext.Current.CancellationToken);

        Assert.False(result.Matches);
    }

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(1).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Hands out at most a few bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] content, int piece) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);
    }
}

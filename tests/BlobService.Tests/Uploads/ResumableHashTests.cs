using System.Buffers.Binary;
using System.Security.Cryptography;
using RegistryCloud.BlobService.Uploads;
using RegistryCloud.Oci;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// The running hash an upload session saves: whatever the chunking, and however often it is saved
/// and restored along the way, it ends on the digest of the whole content; its saved form is Go's,
/// which Distribution writes and reads.
/// </summary>
public sealed class ResumableHashTests
{
    [Fact]
    public void OpenSSL_is_found_so_upload_hashes_can_be_saved()
    {
        Assert.True(OpenSslSha.IsAvailable, "libcrypto was not found: uploads would rehash instead of resuming");
    }

    [Theory]
    [InlineData(Digest.Sha256, 1)]
    [InlineData(Digest.Sha256, 2)]
    [InlineData(Digest.Sha256, 3)]
    [InlineData(Digest.Sha512, 4)]
    [InlineData(Digest.Sha512, 5)]
    public void Random_chunks_saved_and_restored_between_each_end_on_the_digest_of_the_whole(string algorithm, int seed)
    {
        var random = new Random(seed);
        var content = new byte[random.Next(1, 300_000)];
        random.NextBytes(content);

        var hash = ResumableHash.Create(algorithm);
        var offset = 0;
        while (offset < content.Length)
        {
            // Boundaries on and off the 64- and 128-byte blocks, empty chunks included.
            var length = Math.Min(content.Length - offset, random.Next(0, 3) == 0 ? random.Next(0, 3) * 64 : random.Next(0, 20_000));
            hash.Append(content.AsSpan(offset, length));
            offset += length;
            var state = hash.SaveState();
            hash.Dispose();
            hash = ResumableHash.Restore(algorithm, state) ?? throw new InvalidOperationException("state did not restore");
            Assert.Equal(offset, hash.Length);
        }

        using (hash)
        {
            Assert.Equal(Digest.Compute(content, algorithm), hash.Finish());
        }
    }

    [Fact]
    public void The_saved_state_is_Gos_sha256_marshalled_form()
    {
        var content = new byte[100];
        new Random(7).NextBytes(content);
        using var hash = ResumableHash.Create(Digest.Sha256);
        hash.Append(content);

        var state = hash.SaveState();

        Assert.Equal(108, state.Length);
        Assert.Equal("sha\x03"u8.ToArray(), state[..4]);
        // 100 bytes: one block compressed into h, 36 buffered, then the length.
        Assert.Equal(content[64..], state[36..72]);
        Assert.All(state[72..100], b => Assert.Equal(0, b));
        Assert.Equal(100UL, BinaryPrimitives.ReadUInt64BigEndian(state.AsSpan(100)));
    }

    [Fact]
    public void A_fresh_state_holds_the_SHA256_initial_values_in_big_endian()
    {
        using var hash = ResumableHash.Create(Digest.Sha256);

        var state = hash.SaveState();

        Assert.Equal(Convert.FromHexString("6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19"), state[4..36]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(107)]
    [InlineData(109)]
    public void A_state_of_the_wrong_size_does_not_restore(int size)
    {
        var state = new byte[size];
        "sha\x03"u8[..Math.Min(4, size)].CopyTo(state);

        Assert.Null(ResumableHash.Restore(Digest.Sha256, state));
    }

    [Fact]
    public void A_sha512_state_does_not_restore_as_sha256()
    {
        using var hash = ResumableHash.Create(Digest.Sha512);
        hash.Append(RandomNumberGenerator.GetBytes(10));

        Assert.Null(ResumableHash.Restore(Digest.Sha256, hash.SaveState()));
    }
}

using System.Security.Cryptography;
using System.Text;

namespace RegistryCloud.Oci.Tests;

public sealed class DigestTests
{
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly string Hex64 = new('a', 64);
    private static readonly string Hex128 = new('0', 128);

    [Fact]
    public void A_sha256_digest_of_64_lowercase_hex_characters_parses()
    {
        Assert.True(Digest.TryParse("sha256:" + Hex64, out var digest));

        Assert.Equal(Digest.Sha256, digest.Algorithm);
        Assert.Equal(Hex64, digest.Encoded);
    }

    [Fact]
    public void A_sha512_digest_of_128_lowercase_hex_characters_parses()
    {
        Assert.True(Digest.TryParse("sha512:" + Hex128, out var digest));

        Assert.Equal(Digest.Sha512, digest.Algorithm);
        Assert.Equal(Hex128, digest.Encoded);
    }

    public static TheoryData<string> InvalidDigests() => new()
    {
        "sha256:" + new string('A', 64),
        "sha256:" + new string('a', 63),
        "sha256:" + new string('a', 65),
        "sha512:" + new string('a', 64),
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha384:" + new string('a', 96),
        "sha256" + new string('a', 64),
        "",
        ":" + new string('a', 64),
        "sha256:" + new string('g', 64),
        "sha256:" + new string('a', 63) + " ",
        "sha256:",
        "SHA256:" + new string('a', 64),
    };

    [Theory]
    [MemberData(nameof(InvalidDigests))]
    public void A_malformed_or_unsupported_digest_is_refused(string text)
    {
        Assert.False(Digest.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Digest.Parse(text));
    }

    [Fact]
    public void A_null_digest_is_refused()
    {
        Assert.False(Digest.TryParse(null, out _));
    }

    [Theory]
    [InlineData("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    [InlineData("sha512:9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043")]
    public void ToString_gives_back_the_parsed_text(string text)
    {
        Assert.Equal(text, Digest.Parse(text).ToString());
    }

    [Fact]
    public void The_sha256_of_nothing_is_the_well_known_empty_digest()
    {
        Assert.Equal(EmptySha256, Digest.Compute([]).ToString());
    }

    [Fact]
    public void Compute_agrees_with_the_framework_hash_for_both_algorithms()
    {
        var content = Encoding.UTF8.GetBytes("hello registry");

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)), Digest.Compute(content).ToString());
        Assert.Equal("sha512:" + Convert.ToHexStringLower(SHA512.HashData(content)), Digest.Compute(content, Digest.Sha512).ToString());
    }

    [Fact]
    public void Digests_of_the_same_text_are_equal_and_of_different_text_are_not()
    {
        Assert.Equal(Digest.Parse(EmptySha256), Digest.Parse(EmptySha256));
        Assert.NotEqual(Digest.Parse(EmptySha256), Digest.Parse("sha256:" + Hex64));
    }

    [Fact]
    public void An_incremental_hash_of_an_unsupported_algorithm_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Digest.CreateHash("md5"));
    }
}

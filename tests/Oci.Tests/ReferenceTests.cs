
namespace RegistryCloud.Oci.Tests;

public sealed class ReferenceTests
{
    private const string Sha256Text = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void A_valid_tag_parses_as_a_tag()
    {
        Assert.Equal(ReferenceParseResult.Ok, Reference.TryParse("1.0-rc_2", out var reference));

        Assert.False(reference.IsDigest);
        Assert.Equal("1.0-rc_2", reference.Tag);
        Assert.Equal("1.0-rc_2", reference.ToString());
    }

    [Fact]
    public void A_valid_digest_parses_as_a_digest()
    {
        Assert.Equal(ReferenceParseResult.Ok, Reference.TryParse(Sha256Text, out var reference));

        Assert.True(reference.IsDigest);
        Assert.Null(reference.Tag);
        Assert.Equal(Digest.Parse(Sha256Text), reference.Digest);
        Assert.Equal(Sha256Text, reference.ToString());
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("latest:1")]
    [InlineData(":")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    public void Anything_with_a_colon_that_is_not_a_digest_is_an_invalid_digest(string text)
    {
        Assert.Equal(ReferenceParseResult.InvalidDigest, Reference.TryParse(text, out _));
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData("-x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_that_is_not_a_tag_is_an_invalid_tag(string? text)
    {
        Assert.Equal(ReferenceParseResult.InvalidTag, Reference.TryParse(text, out _));
    }

    [Fact]
    public void A_reference_made_from_a_digest_is_a_digest_reference()
    {
        var reference = Reference.FromDigest(Digest.Parse(Sha256Text));

        Assert.True(reference.IsDigest);
        Assert.Equal(Sha256Text, reference.ToString());
    }
}

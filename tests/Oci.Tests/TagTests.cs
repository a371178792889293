
namespace RegistryCloud.Oci.Tests;

public sealed class TagTests
{
    [Theory]
    [InlineData("latest")]
    [InlineData("_x")]
    [InlineData("1.0-rc_2")]
    [InlineData("V1")]
    [InlineData("x")]
    public void Tags_following_the_spec_grammar_are_valid(string tag)
    {
        Assert.True(Tag.IsValid(tag));
    }

    [Fact]
    public void A_tag_of_128_characters_is_valid()
    {
        Assert.True(Tag.IsValid("v" + new string('1', 127)));
    }

    [Theory]
    [InlineData(".x")]
    [InlineData("-x")]
    [InlineData("a:b")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a+b")]
    [InlineData("")]
    public void Tags_outside_the_spec_grammar_are_invalid(string tag)
    {
        Assert.False(Tag.IsValid(tag));
    }

    [Fact]
    public void A_tag_of_129_characters_is_invalid()
    {
        Assert.False(Tag.IsValid("v" + new string('1', 128)));
    }

    [Fact]
    public void A_null_tag_is_invalid()
    {
        Assert.False(Tag.IsValid(null));
    }
}

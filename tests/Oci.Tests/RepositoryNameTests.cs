
namespace RegistryCloud.Oci.Tests;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("library/ubuntu")]
    [InlineData("a/b/c/d")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("a-b")]
    [InlineData("a_b")]
    [InlineData("a__b")]
    [InlineData("a.b")]
    [InlineData("a---b")]
    [InlineData("hello-mine")]
    [InlineData("registry.example/team-1/app.v2")]
    public void Names_following_the_spec_grammar_are_valid(string name)
    {
        Assert.True(RepositoryName.IsValid(name));
    }

    [Theory]
    [InlineData("Library/ubuntu")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a_-b")]
    [InlineData("a___b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("")]
    public void Names_outside_the_spec_grammar_are_invalid(string name)
    {
        Assert.False(RepositoryName.IsValid(name));
    }

    [Fact]
    public void A_null_name_is_invalid()
    {
        Assert.False(RepositoryName.IsValid(null));
    }

    [Fact]
    public void A_name_of_255_characters_is_valid()
    {
        var name = new string('a', 200) + "/" + new string('b', 54);

        Assert.Equal(RepositoryName.MaxLength, name.Length);
        Assert.True(RepositoryName.IsValid(name));
    }

    [Fact]
    public void A_name_of_256_characters_is_invalid()
    {
        var name = new string('a', 200) + "/" + new string('b', 55);

        Assert.Equal(256, name.Length);
        Assert.False(RepositoryName.IsValid(name));
    }
}

using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Tests.Registry;

public sealed class TagPatternTests
{
    [Theory]
    [InlineData("v1.*", "v1.2.3", true)]
    [InlineData("v1.*", "v10", false)]
    [InlineData("*-alpine", "3.19-alpine", true)]
    [InlineData("?.?", "1.2", true)]
    [InlineData("?.?", "1.20", false)]
    [InlineData("ALP", "3.19-alpine", true)]
    [InlineData("latest", "v1", false)]
    [InlineData("", "anything", true)]
    public void A_glob_matches_the_whole_tag_and_plain_text_any_part(string pattern, string tag, bool matches)
    {
        Assert.Equal(matches, TagPattern.Compile(pattern)(tag));
    }

    [Fact]
    public void Regular_expression_characters_in_a_pattern_mean_themselves()
    {
        var matches = TagPattern.Compile("(a+)+*");

        Assert.True(matches("(a+)+b"));
        Assert.False(matches("aaaa"));
    }
}

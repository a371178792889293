namespace RegistryCloud.Oci.Tests;

/// <summary>A Bearer challenge's parameters as registries write them, and the forms RFC 9110 allows.</summary>
public sealed class ChallengeParametersTests
{
    [Fact]
    public void A_registry_challenge_gives_realm_service_and_a_scope_with_commas_inside_its_quotes()
    {
        var parameters = ChallengeParameters.Read("realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");

        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("registry.example", parameters["SERVICE"]);
        Assert.Equal("repository:a/b:pull,push", parameters["scope"]);
    }

    [Fact]
    public void Unquoted_values_end_at_a_comma_and_are_trimmed_and_escapes_in_quotes_are_read()
    {
        var parameters = ChallengeParameters.Read(" error = invalid_token , realm=\"a\\\"b\\\\c\" ");

        Assert.Equal("invalid_token", parameters["error"]);
        Assert.Equal("a\"b\\c", parameters["realm"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no parameters here")]
    public void Text_without_pairs_gives_none(string? text) => Assert.Empty(ChallengeParameters.Read(text));

    [Fact]
    public void An_unterminated_quote_ends_the_value_at_the_end_of_the_text()
    {
        var parameters = ChallengeParameters.Read("realm=\"https://auth.example");

        Assert.Equal("https://auth.example", parameters["realm"]);
    }
}

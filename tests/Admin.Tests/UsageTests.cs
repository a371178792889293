namespace RegistryCloud.Admin.Tests;

/// <summary>Every verb explains itself; a malformed command line is exit code 2, not a crash.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("validate")]
    [InlineData("config")]
    [InlineData("htpasswd")]
    [InlineData("repos")]
    public async Task Each_verb_answers_help_with_its_usage_and_exit_code_0(string verb)
    {
        var result = await AdminRun.RunAsync(verb, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"registrycloud {verb}", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Help_at_the_top_lists_every_verb()
    {
        var result = await AdminRun.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "validate", "config", "htpasswd", "repos" })
        {
            Assert.Contains(verb, result.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new string[0], "Required command")]
    [InlineData(new[] { "frobnicate" }, "'frobnicate'")]
    [InlineData(new[] { "validate", "a.yml", "b.yml" }, "'b.yml'")]
    [InlineData(new[] { "htpasswd" }, "htpasswd")]
    [InlineData(new[] { "htpasswd", "alice", "--cost", "ten" }, "ten")]
    [InlineData(new[] { "repos", "--root" }, "--root")]
    public async Task A_malformed_command_line_is_a_usage_error_with_exit_code_2(string[] args, string named)
    {
        var result = await AdminRun.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.False(result.HasStackTrace);
    }
}

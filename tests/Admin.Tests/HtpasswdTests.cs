namespace RegistryCloud.Admin.Tests;

/// <summary><c>htpasswd</c> prints a bcrypt line the gateway accepts, for a password read from stdin.</summary>
public sealed class HtpasswdTests
{
    [Fact]
    public async Task The_line_is_the_user_and_a_2y_bcrypt_hash_of_cost_10_that_verifies()
    {
        var result = await AdminRun.RunAsync(["htpasswd", "alice"], "correct horse battery staple\n");

        Assert.Equal(0, result.ExitCode);
        var line = result.Out.TrimEnd();
        Assert.StartsWith("alice:$2y$10$", line, StringComparison.Ordinal);
        var hash = line["alice:".Length..];
        Assert.True(BCrypt.Net.BCrypt.Verify("correct horse battery staple", hash));
        Assert.False(BCrypt.Net.BCrypt.Verify("correct horse battery staple\n", hash));
        Assert.False(BCrypt.Net.BCrypt.Verify("Tr0ub4dor&3", hash));
    }

    [Fact]
    public async Task Two_runs_with_the_same_password_salt_differently()
    {
        var first = await AdminRun.RunAsync(["htpasswd", "alice"], "s3cret\n");
        var second = await AdminRun.RunAsync(["htpasswd", "alice"], "s3cret\n");

        Assert.NotEqual(first.Out, second.Out);
    }

    [Fact]
    public async Task Cost_sets_the_bcrypt_work_factor()
    {
        var result = await AdminRun.RunAsync(["htpasswd", "--cost", "5", "bob", "--password-stdin"], "pw\r\n");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("bob:$2y$05$", result.Out, StringComparison.Ordinal);
        Assert.True(BCrypt.Net.BCrypt.Verify("pw", result.Out.TrimEnd()["bob:".Length..]));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("18")]
    public async Task A_cost_out_of_range_is_refused_naming_the_option(string cost)
    {
        var result = await AdminRun.RunAsync(["htpasswd", "--cost", cost, "bob"], "pw\n");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --cost:", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("al:ice", "':'")]
    [InlineData("", "empty")]
    [InlineData("#admin", "'#'")]
    [InlineData(" alice", "space")]
    [InlineData("ali\nce", "control")]
    public async Task A_user_name_the_htpasswd_file_cannot_hold_is_refused(string user, string reason)
    {
        var result = await AdminRun.RunAsync(["htpasswd", user], "pw\n");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: user: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.False(result.HasStackTrace);
    }

    [Theory]
    [InlineData("", "nothing on stdin")]
    [InlineData("\n", "empty")]
    public async Task A_missing_or_empty_password_is_refused(string stdin, string reason)
    {
        var result = await AdminRun.RunAsync(["htpasswd", "alice"], stdin);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: password: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_longer_than_bcrypt_reads_is_warned_about()
    {
        var result = await AdminRun.RunAsync(["htpasswd", "alice"], new string('p', 80) + "\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: bcrypt uses only the first 72 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_is_not_an_argument()
    {
        var result = await AdminRun.RunAsync(["htpasswd", "alice", "hunter2"], "");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'hunter2'", result.Error, StringComparison.Ordinal);
    }
}

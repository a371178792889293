using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Admin.Tests;

/// <summary><c>validate</c> says what a service would say about the file at start-up.</summary>
public sealed class ValidateTests
{
    [Fact]
    public async Task The_seed_file_as_written_fails_naming_http_tls_certificate_and_its_path()
    {
        var result = await AdminRun.RunAsync("validate", AdminRun.SeedPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "error: http.tls.certificate: file '/home/ubuntu/docker/distribution/certs/domain.crt' does not exist",
            result.Error.Split('\n').Select(line => line.TrimEnd('\r')));
        Assert.DoesNotContain("ok", result.Out.Split('\n'));
        Assert.False(result.HasStackTrace);
    }

    [Fact]
    public async Task The_seed_file_with_its_certificate_and_key_overridden_to_real_files_is_ok()
    {
        using var directory = new TemporaryDirectory();
        var certificate = AdminRun.WriteConfig(directory.Path, "certificate", "domain.crt");
        var key = AdminRun.WriteConfig(directory.Path, "key", "domain.key");

        var result = await AdminRun.RunAsync(
            ["validate", AdminRun.SeedPath], "",
            ("REGISTRY_HTTP_TLS_CERTIFICATE", certificate), ("REGISTRY_HTTP_TLS_KEY", key));

        Assert.Equal(0, result.ExitCode);
        AssertOkWithOnlyTheSeedsPoolWarnings(result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Skip_files_accepts_the_seed_file_on_a_machine_without_its_certificate()
    {
        var result = await AdminRun.RunAsync("validate", "--skip-files", AdminRun.SeedPath);

        Assert.Equal(0, result.ExitCode);
        AssertOkWithOnlyTheSeedsPoolWarnings(result.Out);
    }

    [Fact]
    public async Task Unknown_and_unimplemented_keys_are_printed_as_warnings_with_their_key_paths_before_ok()
    {
        using var directory = new TemporaryDirectory();
        var path = AdminRun.WriteConfig(directory.Path, """
            version: 0.1
            storage:
              inmemory:
            http:
              tlz:
                certificate: /c.pem
            auth:
              silly:
                realm: r
                service: s
            """);

        var result = await AdminRun.RunAsync("validate", path);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.TrimEnd().Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        Assert.Equal("ok", lines[^1]);
        Assert.Contains("warning: http.tlz: unknown key", lines);
        Assert.Contains(lines, line => line.StartsWith("warning: auth.silly: ", StringComparison.Ordinal));
        Assert.Equal(3, lines.Length);
    }

    [Theory]
    [InlineData("redis:\n  addr: localhost:6379\n  dialtimeout: soon\n", "redis.dialtimeout")]
    [InlineData("http:\n  addr: :99999\n", "http.addr")]
    [InlineData("version: 0.2\n", "version")]
    [InlineData("storage:\n  inmemory:\n  filesystem:\n    rootdirectory: /x\n", "storage")]
    public async Task An_invalid_value_is_exit_code_1_with_an_error_naming_its_key(string yaml, string key)
    {
        using var directory = new TemporaryDirectory();
        var body = yaml.StartsWith("version", StringComparison.Ordinal) ? yaml + "storage: inmemory\n"
            : yaml.StartsWith("storage", StringComparison.Ordinal) ? "version: 0.1\n" + yaml
            : "version: 0.1\nstorage: inmemory\n" + yaml;
        var path = AdminRun.WriteConfig(directory.Path, body);

        var result = await AdminRun.RunAsync("validate", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {key}", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.False(result.HasStackTrace);
    }

    [Fact]
    public async Task A_bad_environment_override_is_named_with_its_variable()
    {
        var result = await AdminRun.RunAsync(
            ["validate", "--skip-files", AdminRun.SeedPath], "", ("REGISTRY_REDIS_DIALTIMEOUT", "later"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("redis.dialtimeout", result.Error, StringComparison.Ordinal);
        Assert.Contains("REGISTRY_REDIS_DIALTIMEOUT", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_configuration_file_is_named()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "nowhere.yml");

        var result = await AdminRun.RunAsync("validate", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{path}' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_path_the_file_REGISTRY_CONFIGURATION_PATH_names_is_validated()
    {
        var named = await AdminRun.RunAsync(["validate"], "", ("REGISTRY_CONFIGURATION_PATH", AdminRun.SeedPath));
        var none = await AdminRun.RunAsync("validate");

        Assert.Equal(1, named.ExitCode);
        Assert.Contains("http.tls.certificate", named.Error, StringComparison.Ordinal);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("REGISTRY_CONFIGURATION_PATH", none.Error, StringComparison.Ordinal);
    }

    // The seed's redis.pool keys are accepted with a warning: the multiplexed Redis client has no pool.
    private static void AssertOkWithOnlyTheSeedsPoolWarnings(string output)
    {
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal("ok", lines[^1]);
        Assert.Equal(3, lines.Length - 1);
        Assert.All(lines[..^1], line => Assert.StartsWith("warning: redis.pool.", line, StringComparison.Ordinal));
    }
}

namespace RegistryCloud.Configuration.Tests;

/// <summary>The effective configuration can be printed, with every secret masked.</summary>
public sealed class MaskedYamlTests
{
    private const string Secrets = """
        version: 0.1
        storage:
          inmemory:
        http:
          secret: http-secret-value
          headers:
            Authorization: [Basic response-header-secret]
        redis:
          addr: localhost:6379
          password: redis-password-value
        proxy:
          remoteurl: https://registry-1.docker.io
          username: mirror
          password: proxy-password-value
        health:
          http:
            - uri: http://upstream/health
              headers:
                authorization: [Bearer health-check-token]
        """;

    [Fact]
    public void The_seed_printed_hides_the_http_secret_and_the_endpoint_authorization_header()
    {
        var yaml = Loading.Seed().Configuration.ToMaskedYaml();

        Assert.DoesNotContain("asecretforlocaldevelopment", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("an example token", yaml, StringComparison.Ordinal);
        Assert.Contains("rootdirectory: /tmp/registry-dev", yaml, StringComparison.Ordinal);
        Assert.Contains("name: local-8082", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_secret_is_replaced_by_the_mask()
    {
        var yaml = Loading.Configuration(Secrets).ToMaskedYaml();

        Assert.DoesNotContain("http-secret-value", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("redis-password-value", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("proxy-password-value", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("response-header-secret", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("health-check-token", yaml, StringComparison.Ordinal);
        Assert.Contains("username: mirror", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Trusted_proxies_are_printed_and_load_back()
    {
        var printed = Loading.Configuration(Loading.Minimal + "ratelimit:\n  perclient:\n    requests: 10\n  trustedproxies: [10.0.0.1, 192.168.0.0/16]\n").ToMaskedYaml();

        Assert.Contains("trustedproxies:", printed, StringComparison.Ordinal);
        Assert.Equal(
            [System.Net.IPNetwork.Parse("10.0.0.1/32"), System.Net.IPNetwork.Parse("192.168.0.0/16")],
            Loading.Parse(printed).Configuration.RateLimit.TrustedProxies);
    }

    [Fact]
    public void Direct_io_turned_off_is_printed_and_loads_back_off()
    {
        var printed = Loading.Configuration("version: 0.1\nstorage:\n  filesystem:\n    directio: false\n").ToMaskedYaml();

        Assert.Contains("directio: false", printed, StringComparison.Ordinal);
        Assert.False(Loading.Parse(printed).Configuration.Storage.FileSystem?.DirectIo);
    }

    [Fact]
    public void The_printed_configuration_loads_back_to_the_same_settings_with_masked_secrets()
    {
        var original = Loading.Seed().Configuration;
        var printed = original.ToMaskedYaml();

        var reloaded = Loading.Parse(printed);

        // The seed's redis pool, printed in the 3.x form, is all there is to warn about.
        Assert.Equal(3, reloaded.Warnings.Count);
        Assert.All(reloaded.Warnings, warning => Assert.Contains("there is no connection pool to size", warning, StringComparison.Ordinal));
        Assert.Equal(printed, reloaded.Configuration.ToMaskedYaml());
        Assert.Equal(original.Redis?.ConnMaxIdleTime, reloaded.Configuration.Redis?.ConnMaxIdleTime);
        Assert.Equal(original.Http.Tls?.Certificate, reloaded.Configuration.Http.Tls?.Certificate);
        Assert.NotEqual(original.Http.Secret, reloaded.Configuration.Http.Secret);
    }

    [Fact]
    public void Writing_the_configuration_record_to_a_log_does_not_reveal_its_secrets()
    {
        var configuration = Loading.Configuration(Secrets);

        var text = configuration.ToString();

        Assert.DoesNotContain("http-secret-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("redis-password-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("proxy-password-value", text, StringComparison.Ordinal);
        Assert.Contains("localhost:6379", text, StringComparison.Ordinal);
        Assert.Contains("Secret = *****", text, StringComparison.Ordinal);
    }
}

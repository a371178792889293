using RegistryCloud.Configuration;
using RegistryCloud.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Admin.Tests;

/// <summary><c>config</c> prints the effective configuration as YAML, every secret masked.</summary>
public sealed class ConfigTests
{
    private const string Mask = "*****";

    private const string Secrets = """
        version: 0.1
        storage:
          inmemory:
        http:
          secret: http-secret-value
        auth:
          htpasswd:
            realm: basic-realm
            path: /etc/registry/htpasswd
        redis:
          addr: localhost:6379
          password: redis-password-value
        proxy:
          remoteurl: https://registry-1.docker.io
          username: mirror
          password: proxy-password-value
        notifications:
          endpoints:
            - name: hook
              url: https://hooks.example/registry
              headers:
                Authorization: [Bearer endpoint-token-value]
                X-Api-Key: [endpoint-api-key-value]
                X-Tenant: [blue]
        """;

    [Fact]
    public async Task The_seed_file_prints_with_its_http_secret_and_authorization_header_masked()
    {
        var result = await AdminRun.RunAsync("config", AdminRun.SeedPath);

        Assert.Equal(0, result.ExitCode);
        var yaml = Load(result.Out);
        Assert.Equal(Mask, Value(yaml, "http", "secret"));
        Assert.Equal(Mask, Value(yaml, "notifications", "endpoints", "0", "headers", "Authorization", "0"));
        Assert.Equal("/tmp/registry-dev", Value(yaml, "storage", "filesystem", "rootdirectory"));
        Assert.Equal("inmemory", Value(yaml, "storage", "cache", "blobdescriptor"));
        Assert.DoesNotContain("asecretforlocaldevelopment", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("an example token", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http-secret-value", new[] { "http", "secret" })]
    [InlineData("redis-password-value", new[] { "redis", "password" })]
    [InlineData("proxy-password-value", new[] { "proxy", "password" })]
    [InlineData("endpoint-token-value", new[] { "notifications", "endpoints", "0", "headers", "Authorization", "0" })]
    [InlineData("endpoint-api-key-value", new[] { "notifications", "endpoints", "0", "headers", "X-Api-Key", "0" })]
    public async Task Each_secret_is_replaced_by_the_mask(string secret, string[] keyPath)
    {
        using var directory = new TemporaryDirectory();
        var result = await AdminRun.RunAsync("config", AdminRun.WriteConfig(directory.Path, Secrets));

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(secret, result.Out, StringComparison.Ordinal);
        Assert.Equal(Mask, Value(Load(result.Out), keyPath));
    }

    [Fact]
    public async Task Settings_that_are_not_secrets_are_shown_as_they_are()
    {
        using var directory = new TemporaryDirectory();
        var yaml = Load((await AdminRun.RunAsync("config", AdminRun.WriteConfig(directory.Path, Secrets))).Out);

        Assert.Equal("/etc/registry/htpasswd", Value(yaml, "auth", "htpasswd", "path"));
        Assert.Equal("mirror", Value(yaml, "proxy", "username"));
        Assert.Equal("blue", Value(yaml, "notifications", "endpoints", "0", "headers", "X-Tenant", "0"));
    }

    [Fact]
    public async Task Object_storage_credentials_are_never_printed()
    {
        using var directory = new TemporaryDirectory();
        var path = AdminRun.WriteConfig(directory.Path, """
            version: 0.1
            storage:
              s3:
                accesskey: s3-access-key-value
                secretkey: s3-secret-key-value
                region: us-east-1
                bucket: images
            """);

        var result = await AdminRun.RunAsync("config", path);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("s3-secret-key-value", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("s3-access-key-value", result.Out, StringComparison.Ordinal);
        Assert.Contains("bucket: images", result.Out, StringComparison.Ordinal);
        var yaml = Load(result.Out);
        Assert.Equal(Mask, Value(yaml, "storage", "s3", "accesskey"));
        Assert.Equal(Mask, Value(yaml, "storage", "s3", "secretkey"));
    }

    [Theory]
    [InlineData("accountname: registryacct\n    accountkey: YXp1cmUtYWNjb3VudC1rZXk=", "accountkey", "YXp1cmUtYWNjb3VudC1rZXk=")]
    [InlineData("connectionstring: 'DefaultEndpointsProtocol=https;AccountName=registryacct;AccountKey=c2VjcmV0;'", "connectionstring", "c2VjcmV0")]
    [InlineData("accountname: registryacct\n    credentials:\n      type: client_secret\n      tenantid: tenant\n      clientid: app\n      secret: client-secret-value", "credentials.secret", "client-secret-value")]
    [InlineData("serviceurl: https://registryacct.blob.core.windows.net/?sv=2024&sig=sas-signature-value", "serviceurl", "sas-signature-value")]
    public async Task The_azure_section_is_printed_with_its_secrets_masked(string credentials, string key, string secret)
    {
        using var directory = new TemporaryDirectory();
        var path = AdminRun.WriteConfig(directory.Path, $"""
            version: 0.1
            storage:
              azure:
                {credentials}
                container: images
                rootdirectory: /registry
            """);

        var result = await AdminRun.RunAsync("config", path);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(secret, result.Out, StringComparison.Ordinal);
        var yaml = Load(result.Out);
        Assert.Equal("images", Value(yaml, "storage", "azure", "container"));
        Assert.Equal("/registry", Value(yaml, "storage", "azure", "rootdirectory"));
        Assert.Contains(Mask, Value(yaml, ["storage", "azure", .. key.Split('.')]) ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_overrides_are_applied_and_an_overridden_secret_is_masked_too()
    {
        var result = await AdminRun.RunAsync(
            ["config", AdminRun.SeedPath], "",
            ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/registry"),
            ("REGISTRY_HTTP_SECRET", "secret-from-the-environment"));

        Assert.Equal(0, result.ExitCode);
        var yaml = Load(result.Out);
        Assert.Equal("/srv/registry", Value(yaml, "storage", "filesystem", "rootdirectory"));
        Assert.Equal(Mask, Value(yaml, "http", "secret"));
        Assert.DoesNotContain("secret-from-the-environment", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_printed_configuration_loads_back_to_the_same_print()
    {
        using var directory = new TemporaryDirectory();
        var first = await AdminRun.RunAsync("config", AdminRun.SeedPath);
        var second = await AdminRun.RunAsync("config", AdminRun.WriteConfig(directory.Path, first.Out, "printed.yml"));

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Out, second.Out);
        // Only the seed's redis pool, accepted with a warning (the multiplexed client has no pool).
        Assert.All(
            RegistryConfigurationLoader.Parse(first.Out, new Dictionary<string, string?>()).Warnings,
            warning => Assert.Contains("there is no connection pool to size", warning, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegistryClouds_own_sections_are_printed_and_load_back_to_the_same_print()
    {
        using var directory = new TemporaryDirectory();
        var path = AdminRun.WriteConfig(directory.Path, """
            version: 0.1
            storage: inmemory
            auth:
              token:
                service: registry.test
                issuer: rc
            tokenservice:
              htpasswd: /auth/htpasswd
              key: /certs/token.key
              expiration: 10m
            accesscontrol:
              groups:
                ops: [olga, oscar]
                nobody: []
              rules:
                - group: ops
                  repository: "prod/**"
                  actions: [pull, push]
                - group: nobody
                  repository: "x"
                  actions: [delete]
                - anonymous: true
                  repository: "public/*"
                  actions: [pull]
            ratelimit:
              perclient:
                requests: 50
                period: 1s
            """);

        var first = await AdminRun.RunAsync("config", path);
        var second = await AdminRun.RunAsync("config", AdminRun.WriteConfig(directory.Path, first.Out, "printed.yml"));

        Assert.Equal(0, first.ExitCode);
        var yaml = Load(first.Out);
        Assert.Equal("/certs/token.key", Value(yaml, "tokenservice", "key"));
        Assert.Equal("10m", Value(yaml, "tokenservice", "expiration"));
        Assert.Equal("oscar", Value(yaml, "accesscontrol", "groups", "ops", "1"));
        Assert.Equal("true", Value(yaml, "accesscontrol", "rules", "2", "anonymous"));
        Assert.Equal("50", Value(yaml, "ratelimit", "perclient", "burst"));
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public async Task Warnings_go_to_stderr_so_stdout_stays_a_configuration_file()
    {
        using var directory = new TemporaryDirectory();
        var path = AdminRun.WriteConfig(directory.Path, "version: 0.1\nstorage: inmemory\ncolour: blue\n");

        var result = await AdminRun.RunAsync("config", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("warning: colour: unknown key", result.Error.TrimEnd());
        Assert.DoesNotContain("colour", result.Out, StringComparison.Ordinal);
        Assert.Equal("0.1", Value(Load(result.Out), "version"));
    }

    [Fact]
    public async Task An_invalid_file_prints_no_configuration_and_names_the_key()
    {
        using var directory = new TemporaryDirectory();
        var path = AdminRun.WriteConfig(directory.Path, "version: 0.1\nstorage: inmemory\nhttp:\n  draintimeout: forever\n");

        var result = await AdminRun.RunAsync("config", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: http.draintimeout", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    private static YamlNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    private static string? Value(YamlNode node, params string[] path)
    {
        foreach (var step in path)
        {
            node = node switch
            {
                YamlMappingNode map => map.Children.TryGetValue(new YamlScalarNode(step), out var child)
                    ? child
                    : throw new KeyNotFoundException($"{step} is not in the printed configuration"),
                YamlSequenceNode list => list.Children[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)],
                _ => throw new KeyNotFoundException($"{step}: not a mapping or list"),
            };
        }

        return ((YamlScalarNode)node).Value;
    }
}

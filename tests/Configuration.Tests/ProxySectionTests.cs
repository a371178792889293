namespace RegistryCloud.Configuration.Tests;

/// <summary><c>proxy</c> (Distribution's) and <c>proxies</c> (RegistryCloud's): read, and refused with the key named when wrong.</summary>
public sealed class ProxySectionTests
{
    private const string Header = "version: 0.1\nstorage: inmemory\n";

    private const string TwoUpstreams = Header + """
        proxies:
          - prefix: dockerhub
            remoteurl: https://registry-1.docker.io
          - prefix: ghcr
            remoteurl: https://ghcr.io
            username: bot
            password: secret
            ttl: 1h
        """;

    [Fact]
    public void Proxies_map_prefixes_to_upstreams_with_Docker_Hubs_library_rule_on_for_Docker_Hub_only()
    {
        var result = Loading.Parse(TwoUpstreams);
        var rules = result.Configuration.Proxies;

        Assert.Empty(result.Warnings);
        Assert.Equal(["dockerhub", "ghcr"], rules.Select(rule => rule.Prefix));
        Assert.True(rules[0].Library);
        Assert.False(rules[1].Library);
        Assert.Equal(TimeSpan.FromHours(168), rules[0].Ttl);
        Assert.Equal(TimeSpan.FromHours(1), rules[1].Ttl);
        Assert.Equal(("bot", "secret"), (rules[1].Username, rules[1].Password));
        Assert.DoesNotContain("secret", rules[1].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxies_password_comes_from_the_environment()
    {
        var rules = Loading.Configuration(TwoUpstreams, ("REGISTRY_PROXIES_1_PASSWORD", "from-env")).Proxies;

        Assert.Equal("from-env", rules[1].Password);
    }

    [Fact]
    public void The_proxy_section_no_longer_warns_that_it_is_not_implemented()
    {
        var result = Loading.Parse(Header + "proxy:\n  remoteurl: http://127.0.0.1:5001\n");

        Assert.Empty(result.Warnings);
        Assert.Empty(result.Configuration.Proxies);
        Assert.Equal("http://127.0.0.1:5001", result.Configuration.Proxy!.RemoteUrl);
    }

    [Fact]
    public void The_masked_yaml_holds_the_proxies_without_their_passwords()
    {
        var yaml = RegistryConfigurationWriter.ToMaskedYaml(Loading.Configuration(TwoUpstreams));

        Assert.Contains("prefix: ghcr", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proxies:\n  - prefix: a\n    remoteurl: ftp://x\n", "proxies[0].remoteurl: 'ftp://x' is not an absolute http or https URL")]
    [InlineData("proxies:\n  - prefix: a\n    remoteurl: https://u:p@x.io\n", "proxies[0].remoteurl: must not hold credentials")]
    [InlineData("proxies:\n  - prefix: a\n    remoteurl: https://x.io/?a=b\n", "proxies[0].remoteurl: 'https://x.io/?a=b' must be a base URL")]
    [InlineData("proxies:\n  - remoteurl: https://x.io\n", "proxies[0].prefix: is required")]
    [InlineData("proxies:\n  - prefix: Hub\n    remoteurl: https://x.io\n", "proxies[0].prefix: 'Hub' is not a repository name prefix")]
    [InlineData("proxies:\n  - prefix: hub\n    remoteurl: https://x.io\n  - prefix: hub/library\n    remoteurl: https://y.io\n",
        "proxies[1].prefix: 'hub/library' overlaps proxies[0].prefix 'hub'")]
    [InlineData("proxies:\n  - prefix: hub\n    remoteurl: https://x.io\n    username: u\n", "proxies[0].username: needs both username and password")]
    [InlineData("proxy:\n  remoteurl: https://x.io\nproxies:\n  - prefix: hub\n    remoteurl: https://x.io\n", "proxies: cannot be configured with proxy")]
    [InlineData("proxy:\n  remoteurl: https://x.io\n  password: p\n", "proxy.password: needs both username and password")]
    public void A_wrong_proxy_setting_fails_naming_its_key(string yaml, string message)
    {
        Assert.StartsWith(message, Loading.Error(Header + yaml), StringComparison.Ordinal);
    }
}

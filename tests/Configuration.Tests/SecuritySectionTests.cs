using System.Net;

namespace RegistryCloud.Configuration.Tests;

/// <summary>RegistryCloud's own sections beside <c>auth</c>: <c>tokenservice</c>, <c>accesscontrol</c> and <c>ratelimit</c>.</summary>
public sealed class SecuritySectionTests
{
    private const string Token = "auth:\n  token:\n    service: registry.test\n    issuer: rc\n";

    [Fact]
    public void The_token_service_reads_its_keys_and_lets_auth_token_go_without_realm_or_bundle()
    {
        var configuration = Loading.Configuration(Loading.Minimal + Token
            + "tokenservice:\n  htpasswd: /auth/htpasswd\n  key: /certs/token.key\n  certificate: /certs/token.crt\n  expiration: 10m\n");

        Assert.Equal("", configuration.Auth.Token!.Realm);
        Assert.Null(configuration.Auth.Token.RootCertBundle);
        Assert.Equal(new TokenServiceConfiguration
        {
            Htpasswd = "/auth/htpasswd",
            Key = "/certs/token.key",
            Certificate = "/certs/token.crt",
            Expiration = TimeSpan.FromMinutes(10),
        }, configuration.TokenService);
    }

    [Fact]
    public void Without_the_token_service_auth_token_still_needs_a_realm_and_keys()
    {
        Assert.Equal("auth.token.rootcertbundle: is required (or auth.token.jwks): tokens cannot be verified without signing keys", Loading.Error(Loading.Minimal + Token));
    }

    [Theory]
    [InlineData("tokenservice:\n  key: /k\n", "tokenservice.htpasswd: is required")]
    [InlineData("tokenservice:\n  htpasswd: /h\n", "tokenservice.key: is required")]
    [InlineData("tokenservice:\n  htpasswd: /h\n  key: /k\n  expiration: 2h\n", "tokenservice.expiration:")]
    public void A_token_service_setting_that_is_missing_or_out_of_range_names_its_key(string section, string expected)
    {
        Assert.StartsWith(expected, Loading.Error(Loading.Minimal + Token + section), StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_service_without_auth_token_is_an_error()
    {
        Assert.StartsWith("tokenservice: needs auth.token", Loading.Error(Loading.Minimal + "tokenservice:\n  htpasswd: /h\n  key: /k\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_under_the_token_service_is_a_warning()
    {
        var result = Loading.Parse(Loading.Minimal + Token + "tokenservice:\n  htpasswd: /h\n  key: /k\n  lifetime: 5m\n");

        Assert.Equal(["tokenservice.lifetime: unknown key"], result.Warnings);
    }

    [Fact]
    public void Access_control_reads_groups_and_rules_in_order()
    {
        var configuration = Loading.Configuration(Loading.Minimal + """
            accesscontrol:
              groups:
                ops: [olga, oscar]
              rules:
                - group: ops
                  repository: "prod/**"
                  actions: [pull, push]
                - user: "*"
                  repository: "**"
                  actions: [pull]
                - anonymous: true
                  repository: public/*
                  actions: pull
            """);

        var acl = configuration.AccessControl!;
        Assert.Equal(["olga", "oscar"], acl.Groups["ops"]);
        Assert.Equal(
            [
                new AccessRuleConfiguration(AccessSubjectKind.Group, "ops", "prod/**", ["pull", "push"], "accesscontrol.rules[0]"),
                new AccessRuleConfiguration(AccessSubjectKind.User, "*", "**", ["pull"], "accesscontrol.rules[1]"),
                new AccessRuleConfiguration(AccessSubjectKind.Anonymous, "", "public/*", ["pull"], "accesscontrol.rules[2]"),
            ],
            acl.Rules,
            (a, b) => a.Kind == b.Kind && a.Subject == b.Subject && a.Repository == b.Repository && a.Actions.SequenceEqual(b.Actions) && a.Path == b.Path);
    }

    [Theory]
    [InlineData("  rules:\n    - group: ops\n      repository: a\n      actions: [pull]\n", "accesscontrol.rules[0].group: 'ops' is not a group of accesscontrol.groups")]
    [InlineData("  rules:\n    - user: a\n      repository: a\n      actions: [pul]\n", "accesscontrol.rules[0].actions[0]: 'pul' is not one of pull, push, delete, *")]
    [InlineData("  rules:\n    - repository: a\n      actions: [pull]\n", "accesscontrol.rules[0]: needs one of user, group or anonymous")]
    [InlineData("  rules:\n    - user: a\n      group: b\n      repository: a\n", "accesscontrol.rules[0]: 'user' and 'group' are both configured; choose exactly one subject (user, group or anonymous)")]
    [InlineData("  rules:\n    - user: a\n      actions: [pull]\n", "accesscontrol.rules[0].repository: is required")]
    [InlineData("  groups:\n    ops: [a]\n", "accesscontrol.rules: is required")]
    public void A_bad_rule_names_its_key(string section, string expected)
    {
        Assert.StartsWith(expected, Loading.Error(Loading.Minimal + "accesscontrol:\n" + section), StringComparison.Ordinal);
    }

    [Fact]
    public void Access_control_without_an_access_controller_that_applies_it_is_a_warning()
    {
        var result = Loading.Parse(Loading.Minimal + "accesscontrol:\n  rules:\n    - anonymous: true\n      repository: \"**\"\n      actions: [pull]\n");

        Assert.Equal(["accesscontrol: applies only with auth.htpasswd or tokenservice; here it only filters the catalog"], result.Warnings);
    }

    [Fact]
    public void Rate_limiting_is_off_unless_configured()
    {
        Assert.False(Loading.Configuration(Loading.Minimal).RateLimit.Enabled);
    }

    [Fact]
    public void Rate_limits_read_requests_period_and_burst()
    {
        var limits = Loading.Configuration(Loading.Minimal + "ratelimit:\n  perclient:\n    requests: 50\n    period: 10s\n  peruser:\n    requests: 5\n    burst: 20\n").RateLimit;

        Assert.Equal(new RateLimitRule(50, TimeSpan.FromSeconds(10), 50), limits.PerClient);
        Assert.Equal(new RateLimitRule(5, TimeSpan.FromSeconds(1), 20), limits.PerUser);
    }

    [Theory]
    [InlineData("ratelimit:\n  perclient:\n    period: 1s\n", "ratelimit.perclient.requests: is required")]
    [InlineData("ratelimit:\n  peruser:\n    requests: 0\n", "ratelimit.peruser.requests: '0' must be at least 1")]
    [InlineData("ratelimit:\n  peruser:\n    requests: 1\n    period: soon\n", "ratelimit.peruser.period: 'soon' is not a duration")]
    public void A_bad_rate_limit_names_its_key(string section, string expected)
    {
        Assert.StartsWith(expected, Loading.Error(Loading.Minimal + section), StringComparison.Ordinal);
    }

    [Fact]
    public void Trusted_proxies_read_addresses_and_CIDRs()
    {
        var limits = Loading.Configuration(Loading.Minimal + "ratelimit:\n  trustedproxies: [10.1.2.3, 192.168.0.0/16, \"2001:db8::/32\", \"::1\"]\n").RateLimit;

        Assert.Equal(
            [IPNetwork.Parse("10.1.2.3/32"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("::1/128")],
            limits.TrustedProxies);
    }

    [Fact]
    public void Without_trusted_proxies_none_are_trusted()
    {
        Assert.Empty(Loading.Configuration(Loading.Minimal).RateLimit.TrustedProxies);
    }

    [Theory]
    [InlineData("[10.0.0.1, 300.1.1.1]", "ratelimit.trustedproxies[1]: '300.1.1.1' is not an IP address or CIDR")]
    [InlineData("[proxy.internal]", "ratelimit.trustedproxies[0]: 'proxy.internal' is not an IP address or CIDR")]
    [InlineData("[10.0.0.0/33]", "ratelimit.trustedproxies[0]: '10.0.0.0/33' is not an IP address or CIDR")]
    [InlineData("[10.0.0.1/8]", "ratelimit.trustedproxies[0]: '10.0.0.1/8' is not an IP address or CIDR")]
    [InlineData("300.1.1.1", "ratelimit.trustedproxies: '300.1.1.1' is not an IP address or CIDR")]
    public void A_trusted_proxy_that_is_not_an_address_or_CIDR_stops_start_up_naming_its_entry(string value, string expected)
    {
        Assert.StartsWith(expected, Loading.Error(Loading.Minimal + $"ratelimit:\n  trustedproxies: {value}\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Trusted_proxies_come_from_a_variable_as_a_list_and_by_index()
    {
        var listed = Loading.Configuration(Loading.Minimal, ("REGISTRY_RATELIMIT_TRUSTEDPROXIES", "[10.0.0.1, 172.16.0.0/12]")).RateLimit;
        var indexed = Loading.Configuration(Loading.Minimal + "ratelimit:\n  trustedproxies: [10.0.0.1]\n", ("REGISTRY_RATELIMIT_TRUSTEDPROXIES_1", "10.0.0.2")).RateLimit;

        Assert.Equal([IPNetwork.Parse("10.0.0.1/32"), IPNetwork.Parse("172.16.0.0/12")], listed.TrustedProxies);
        Assert.Equal([IPNetwork.Parse("10.0.0.1/32"), IPNetwork.Parse("10.0.0.2/32")], indexed.TrustedProxies);
    }

    [Fact]
    public void Rate_limits_come_from_variables_too()
    {
        var limits = Loading.Configuration(Loading.Minimal, ("REGISTRY_RATELIMIT_PERCLIENT_REQUESTS", "7")).RateLimit;

        Assert.Equal(7, limits.PerClient!.Requests);
    }
}

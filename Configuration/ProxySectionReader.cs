using System.Text.RegularExpressions;

namespace RegistryCloud.Configuration;

/// <summary>
/// Reads <c>proxy</c> (Distribution's: the whole registry mirrors one upstream) and <c>proxies</c>
/// (RegistryCloud's: repository prefixes mirror upstreams). Upstream URLs come only from here,
/// so a client can choose among configured upstreams and never name one.
/// </summary>
internal static partial class ProxySectionReader
{
    private static readonly string[] DockerHubHosts = ["registry-1.docker.io", "docker.io", "index.docker.io", "registry.hub.docker.com"];

    public static ProxyConfiguration? Read(ConfigSection root, ConfigContext context)
    {
        var proxy = root.Section("proxy");
        if (!proxy.Keys.Any())
        {
            return null;
        }

        var exec = proxy.Section("exec");
        exec.NotImplemented("command", "proxy.exec (a credential helper)");
        var defaults = new ProxyConfiguration { RemoteUrl = string.Empty };
        var configuration = new ProxyConfiguration
        {
            RemoteUrl = UpstreamUrl(proxy),
            Username = proxy.String("username"),
            Password = proxy.String("password"),
            Ttl = proxy.Duration("ttl") ?? defaults.Ttl,
            ExecCommand = exec.String("command"),
            ExecLifetime = exec.Duration("lifetime"),
            CacheWriteTimeout = proxy.Duration("cachewritetimeout"),
        };
        CheckCredentials(proxy, configuration.Username, configuration.Password);
        if (configuration.CacheWriteTimeout is not null)
        {
            context.Warn("proxy.cachewritetimeout: read but not applied by RegistryCloud; a blob is stored as it streams to the client");
        }

        return configuration;
    }

    public static IReadOnlyList<ProxyRule> ReadRules(ConfigSection root, ProxyConfiguration? proxy)
    {
        var entries = root.SectionList("proxies");
        if (entries.Count > 0 && proxy is not null)
        {
            throw root.Error("proxies", "cannot be configured with proxy: proxy makes the whole registry one upstream's mirror, proxies maps prefixes to upstreams; choose one");
        }

        var rules = new List<ProxyRule>(entries.Count);
        foreach (var entry in entries)
        {
            var prefix = entry.RequiredString("prefix").Trim('/');
            if (prefix.Length > 200 || !PrefixPattern().IsMatch(prefix))
            {
                throw entry.Error("prefix", $"'{prefix}' is not a repository name prefix (lowercase components separated by '/')");
            }

            if (rules.FirstOrDefault(other => Overlaps(other.Prefix, prefix)) is { } overlapping)
            {
                throw entry.Error("prefix", $"'{prefix}' overlaps {overlapping.Path}.prefix '{overlapping.Prefix}': a repository must map to one upstream");
            }

            var url = UpstreamUrl(entry);
            var rule = new ProxyRule
            {
                Prefix = prefix,
                RemoteUrl = url,
                Username = entry.String("username"),
                Password = entry.String("password"),
                Ttl = entry.Duration("ttl") ?? TimeSpan.FromHours(168),
                Library = entry.Bool("library") ?? DockerHubHosts.Contains(new Uri(url).Host, StringComparer.OrdinalIgnoreCase),
                Path = entry.Path,
            };
            CheckCredentials(entry, rule.Username, rule.Password);
            rules.Add(rule);
        }

        return rules;
    }

    private static bool Overlaps(string a, string b) =>
        a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal);

    /// <summary>
    /// An http(s) base URL with no credentials, query or fragment in it: credentials belong in
    /// their own keys (masked in logs), and the client appends <c>/v2/...</c> to the path.
    /// </summary>
    private static string UpstreamUrl(ConfigSection section)
    {
        var text = section.RequiredHttpUrl("remoteurl");
        var uri = new Uri(text);
        if (uri.UserInfo.Length > 0)
        {
            throw section.Error("remoteurl", "must not hold credentials; use username and password");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw section.Error("remoteurl", $"'{text}' must be a base URL, without a query or fragment");
        }

        return text;
    }

    private static void CheckCredentials(ConfigSection section, string? username, string? password)
    {
        if ((username is null) != (password is null))
        {
            throw section.Error(username is null ? "password" : "username", "needs both username and password (or neither, for anonymous pulls)");
        }
    }

    // The OCI spec's repository name grammar (spec.md#pulling-manifests); this library depends on nothing.
    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PrefixPattern();
}

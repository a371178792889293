using RegistryCloud.Configuration;

namespace RegistryCloud.Proxy;

/// <summary>An upstream registry as configured: one <c>proxies</c> entry, or the <c>proxy</c> section.</summary>
public sealed record Upstream(string Prefix, Uri BaseUri, string? Username, string? Password, TimeSpan Ttl, bool Library)
{
    /// <summary>The name metrics and logs use: the prefix, or <c>proxy</c> for the whole-registry mirror.</summary>
    public string Name => Prefix.Length == 0 ? "proxy" : Prefix;

    public bool HasCredentials => Username is not null && Password is not null;

    /// <summary>The record's members without the password, so that logging it leaks nothing.</summary>
    public override string ToString() => $"Upstream {{ Name = {Name}, BaseUri = {BaseUri}, Username = {Username}, Ttl = {Ttl} }}";
}

/// <summary>A repository of this registry that mirrors <see cref="Repository"/> of <see cref="Upstream"/>.</summary>
public sealed record ProxyTarget(Upstream Upstream, string Repository);

/// <summary>
/// Which repositories are pull-through caches, and of what. Upstreams come only from the
/// configuration: a repository name chooses among them and never names a host.
/// </summary>
public sealed class ProxyRoutes
{
    private readonly Upstream? _whole;
    private readonly IReadOnlyList<Upstream> _prefixed;

    public ProxyRoutes(RegistryConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Proxy is { } proxy)
        {
            _whole = new Upstream(string.Empty, BaseUri(proxy.RemoteUrl), proxy.Username, proxy.Password, proxy.Ttl, Library: false);
        }

        _prefixed = [.. configuration.Proxies.Select(rule =>
            new Upstream(rule.Prefix, BaseUri(rule.RemoteUrl), rule.Username, rule.Password, rule.Ttl, rule.Library))];
    }

    /// <summary>True when any repository is a cache.</summary>
    public bool Enabled => _whole is not null || _prefixed.Count > 0;

    /// <summary>
    /// The upstream repository <paramref name="repository"/> mirrors, or null for an ordinary
    /// repository. The name must already be valid; the upstream name is a suffix of it, or
    /// Docker Hub's <c>library/</c> and a suffix.
    /// </summary>
    public ProxyTarget? Resolve(string repository)
    {
        if (_whole is not null)
        {
            return new ProxyTarget(_whole, repository);
        }

        foreach (var upstream in _prefixed)
        {
            if (repository.Length > upstream.Prefix.Length + 1
                && repository.StartsWith(upstream.Prefix, StringComparison.Ordinal)
                && repository[upstream.Prefix.Length] == '/')
            {
                var remote = repository[(upstream.Prefix.Length + 1)..];
                return new ProxyTarget(upstream, upstream.Library && !remote.Contains('/', StringComparison.Ordinal) ? "library/" + remote : remote);
            }
        }

        return null;
    }

    // The client appends "v2/<name>/..." to the base, so its path must end in '/'.
    private static Uri BaseUri(string url) => new(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
}

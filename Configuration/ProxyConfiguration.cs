using System.Text;

namespace RegistryCloud.Configuration;

/// <summary>
/// <c>proxy</c>: Distribution's pull-through cache. The whole registry becomes a read-only
/// mirror of <see cref="RemoteUrl"/>.
/// </summary>
public sealed record ProxyConfiguration
{
    /// <summary><c>proxy.remoteurl</c>.</summary>
    public required string RemoteUrl { get; init; }

    /// <summary><c>proxy.username</c>.</summary>
    public string? Username { get; init; }

    /// <summary><c>proxy.password</c>.</summary>
    public string? Password { get; init; }

    /// <summary><c>proxy.ttl</c>: 168h by default; zero keeps cached content forever.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromHours(168);

    /// <summary><c>proxy.exec.command</c>: a credential helper run instead of username and password.</summary>
    public string? ExecCommand { get; init; }

    /// <summary><c>proxy.exec.lifetime</c>.</summary>
    public TimeSpan? ExecLifetime { get; init; }

    /// <summary><c>proxy.cachewritetimeout</c>.</summary>
    public TimeSpan? CacheWriteTimeout { get; init; }

    /// <summary>The record's members, with secrets masked so that logging it leaks nothing.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("ProxyConfiguration { ");
        (this with { Password = Password is null ? null : RegistryConfigurationWriter.Mask }).PrintMembers(builder);
        return builder.Append(" }").ToString();
    }
}

/// <summary>
/// One entry of <c>proxies</c> (RegistryCloud's own): repositories under <see cref="Prefix"/>
/// mirror <see cref="RemoteUrl"/>, the rest of the name being the upstream repository.
/// </summary>
public sealed record ProxyRule
{
    /// <summary><c>prefix</c>: one or more repository name components, e.g. <c>dockerhub</c> or <c>mirrors/ghcr</c>.</summary>
    public required string Prefix { get; init; }

    /// <summary><c>remoteurl</c>: the upstream registry's base URL.</summary>
    public required string RemoteUrl { get; init; }

    /// <summary><c>username</c>.</summary>
    public string? Username { get; init; }

    /// <summary><c>password</c> (or a token, for registries that take one as the basic password).</summary>
    public string? Password { get; init; }

    /// <summary><c>ttl</c>: how long a cached tag is served before it is revalidated; 168h by default.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromHours(168);

    /// <summary>
    /// <c>library</c>: a one-component name gets Docker Hub's <c>library/</c> in front upstream
    /// (<c>dockerhub/nginx</c> is <c>library/nginx</c>). On by default for Docker Hub's hosts.
    /// </summary>
    public bool Library { get; init; }

    /// <summary>The entry's key path, <c>proxies[i]</c>, for messages.</summary>
    public string Path { get; init; } = "proxies";

    /// <summary>The record's members, with secrets masked so that logging it leaks nothing.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("ProxyRule { ");
        (this with { Password = Password is null ? null : RegistryConfigurationWriter.Mask }).PrintMembers(builder);
        return builder.Append(" }").ToString();
    }
}

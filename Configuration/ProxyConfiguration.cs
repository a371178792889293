using System.Text;

namespace RegistryCloud.Configuration;

/// <summary>
/// <c>proxy</c>: Distribution's pull-through cache. RegistryCloud reads it so a configuration
/// that sets it loads, and warns that it is not implemented.
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

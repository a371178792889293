using System.Net;

namespace RegistryCloud.Configuration;

/// <summary>
/// <c>ratelimit</c>, RegistryCloud's own section: token buckets per client address and per
/// authenticated user, enforced by the gateway. Off unless a limit is configured.
/// </summary>
public sealed record RateLimitConfiguration
{
    /// <summary><c>ratelimit.perclient</c>: per remote IP address.</summary>
    public RateLimitRule? PerClient { get; init; }

    /// <summary><c>ratelimit.peruser</c>: per authenticated user name.</summary>
    public RateLimitRule? PerUser { get; init; }

    /// <summary>
    /// <c>ratelimit.trustedproxies</c>: the proxies (addresses, or CIDR ranges) whose
    /// <c>X-Forwarded-For</c> names the client for <see cref="PerClient"/>. Empty: the header is
    /// never read, and every client is the connection's peer.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public bool Enabled => PerClient is not null || PerUser is not null;
}

/// <summary><c>requests</c> per <c>period</c>, with up to <c>burst</c> at once (default: <c>requests</c>).</summary>
public sealed record RateLimitRule(int Requests, TimeSpan Period, int Burst);

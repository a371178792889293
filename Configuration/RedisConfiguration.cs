using System.Text;

namespace RegistryCloud.Configuration;

/// <summary>
/// <c>redis</c>, in either of Distribution's forms: 2.8's (<c>addr</c>, <c>pool.maxidle</c>,
/// <c>pool.maxactive</c>, <c>pool.idletimeout</c>, <c>tls.enabled</c>) or 3.x's go-redis options
/// (<c>addrs</c>, <c>maxidleconns</c>, <c>poolsize</c>, <c>connmaxidletime</c>, <c>tls.certificate</c>).
/// Both land in the same properties; a null timeout or pool size means the client's default.
/// </summary>
public sealed record RedisConfiguration
{
    /// <summary><c>redis.addrs</c>, or <c>redis.addr</c> as a single entry.</summary>
    public required IReadOnlyList<string> Addrs { get; init; }

    /// <summary>The first (for 2.8 configurations, the only) address.</summary>
    public string Addr => Addrs[0];

    /// <summary><c>redis.username</c> (ACL user).</summary>
    public string? Username { get; init; }

    /// <summary><c>redis.password</c>.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// <c>redis.mastername</c>: the primary's name at the sentinels, which <see cref="Addrs"/> then
    /// name; null for a plain server or a cluster.
    /// </summary>
    public string? MasterName { get; init; }

    /// <summary><c>redis.db</c>.</summary>
    public int Db { get; init; }

    /// <summary><c>redis.dialtimeout</c>.</summary>
    public TimeSpan? DialTimeout { get; init; }

    /// <summary><c>redis.readtimeout</c>.</summary>
    public TimeSpan? ReadTimeout { get; init; }

    /// <summary><c>redis.writetimeout</c>.</summary>
    public TimeSpan? WriteTimeout { get; init; }

    /// <summary><c>redis.maxidleconns</c> or <c>redis.pool.maxidle</c>.</summary>
    public int? MaxIdleConns { get; init; }

    /// <summary><c>redis.poolsize</c> or <c>redis.pool.maxactive</c>.</summary>
    public int? PoolSize { get; init; }

    /// <summary><c>redis.connmaxidletime</c> or <c>redis.pool.idletimeout</c>.</summary>
    public TimeSpan? ConnMaxIdleTime { get; init; }

    /// <summary><c>redis.tls</c>.</summary>
    public RedisTlsConfiguration Tls { get; init; } = new();

    /// <summary>The record's members, with secrets masked so that logging it leaks nothing.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder("RedisConfiguration { ");
        (this with { Password = Password is null ? null : RegistryConfigurationWriter.Mask }).PrintMembers(builder);
        return builder.Append(" }").ToString();
    }
}

/// <summary><c>redis.tls</c>.</summary>
public sealed record RedisTlsConfiguration
{
    /// <summary><c>redis.tls.enabled</c>, or implied by any certificate, key or CA file.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>redis.tls.certificate</c>: client certificate for mutual TLS.</summary>
    public string? Certificate { get; init; }

    /// <summary><c>redis.tls.key</c>: the client certificate's key.</summary>
    public string? Key { get; init; }

    /// <summary><c>redis.tls.rootcas</c>, or <c>redis.tls.clientcas</c> as Distribution 3.0 named it.</summary>
    public IReadOnlyList<string> RootCas { get; init; } = [];
}

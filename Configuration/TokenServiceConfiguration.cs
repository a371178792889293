namespace RegistryCloud.Configuration;

/// <summary>
/// <c>tokenservice</c>, RegistryCloud's own section: the built-in token issuer at
/// <c>GET /auth/token</c> (Distribution has none; its users run docker_auth or Harbor). Tokens
/// carry <c>auth.token.issuer</c> and <c>auth.token.service</c>, so <c>auth.token</c> is required
/// beside it, and the gateway's verifier trusts this key without a <c>rootcertbundle</c>.
/// </summary>
public sealed record TokenServiceConfiguration
{
    /// <summary><c>tokenservice.htpasswd</c>: the bcrypt htpasswd file of users who may log in.</summary>
    public required string Htpasswd { get; init; }

    /// <summary><c>tokenservice.key</c>: PEM private key (EC P-256/P-384/P-521 or RSA of at least 2048 bits).</summary>
    public required string Key { get; init; }

    /// <summary><c>tokenservice.certificate</c>: optional PEM certificate of that key, sent as <c>x5c</c>.</summary>
    public string? Certificate { get; init; }

    /// <summary><c>tokenservice.expiration</c>: how long an issued token lives (default 5m, at most 1h).</summary>
    public TimeSpan Expiration { get; init; } = DefaultExpiration;

    public static readonly TimeSpan DefaultExpiration = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaximumExpiration = TimeSpan.FromHours(1);
}

namespace RegistryCloud.Configuration;

/// <summary><c>auth</c>: at most one access controller.</summary>
public sealed record AuthConfiguration
{
    public AuthKind Kind => Htpasswd is not null ? AuthKind.Htpasswd
        : Token is not null ? AuthKind.Token
        : Silly is not null ? AuthKind.Silly
        : AuthKind.None;

    /// <summary><c>auth.htpasswd</c>.</summary>
    public HtpasswdAuthConfiguration? Htpasswd { get; init; }

    /// <summary><c>auth.token</c>.</summary>
    public TokenAuthConfiguration? Token { get; init; }

    /// <summary><c>auth.silly</c>: loads with a warning; RegistryCloud does not implement it.</summary>
    public SillyAuthConfiguration? Silly { get; init; }
}

public enum AuthKind
{
    None,
    Htpasswd,
    Token,
    Silly,
}

/// <summary><c>auth.htpasswd</c>: basic authentication against a bcrypt htpasswd file.</summary>
public sealed record HtpasswdAuthConfiguration(string Realm, string Path);

/// <summary><c>auth.token</c>: bearer tokens from an external issuer.</summary>
public sealed record TokenAuthConfiguration
{
    /// <summary>
    /// <c>auth.token.realm</c>; empty only beside RegistryCloud's <c>tokenservice</c>, where the
    /// challenge then names the gateway's own <c>/auth/token</c> on the host the client asked.
    /// </summary>
    public required string Realm { get; init; }

    public required string Service { get; init; }

    public required string Issuer { get; init; }

    /// <summary><c>auth.token.rootcertbundle</c>: PEM certificates whose keys sign tokens.</summary>
    public string? RootCertBundle { get; init; }

    /// <summary><c>auth.token.jwks</c>: a JSON Web Key Set file of signing keys.</summary>
    public string? Jwks { get; init; }

    /// <summary><c>auth.token.autoredirect</c>: derive the realm from the request's host.</summary>
    public bool AutoRedirect { get; init; }

    /// <summary><c>auth.token.autoredirectpath</c>.</summary>
    public string AutoRedirectPath { get; init; } = "/auth/token/";

    /// <summary><c>auth.token.signingalgorithms</c>; empty means all of them.</summary>
    public IReadOnlyList<string> SigningAlgorithms { get; init; } = [];
}

/// <summary><c>auth.silly</c>: Distribution's development-only controller.</summary>
public sealed record SillyAuthConfiguration(string Realm, string Service);


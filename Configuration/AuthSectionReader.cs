namespace RegistryCloud.Configuration;

/// <summary>Reads <c>auth</c>: htpasswd, token or silly, at most one of them.</summary>
internal static class AuthSectionReader
{
    private static readonly string[] Kinds = ["htpasswd", "token", "silly"];

    private static readonly string[] SigningAlgorithms =
    [
        "EdDSA", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
    ];

    public static AuthConfiguration Read(ConfigSection root)
    {
        var auth = root.Section("auth");
        switch (auth.SingleChoice(Kinds, "access controller (auth)"))
        {
            case "htpasswd":
                var htpasswd = auth.Section("htpasswd");
                return new AuthConfiguration
                {
                    Htpasswd = new HtpasswdAuthConfiguration(htpasswd.RequiredString("realm"), htpasswd.RequiredString("path")),
                };
            case "token":
                // With RegistryCloud's own token service the verifier trusts that service's key, and
                // the realm defaults to the gateway's /auth/token on whatever host a client used.
                return new AuthConfiguration { Token = ReadToken(auth.Section("token"), root.Has("tokenservice")) };
            case "silly":
                var silly = auth.Section("silly");
                var configuration = new AuthConfiguration
                {
                    Silly = new SillyAuthConfiguration(silly.RequiredString("realm"), silly.RequiredString("service")),
                };
                auth.NotImplemented("silly", "the silly access controller");
                return configuration;
            default:
                return new AuthConfiguration();
        }
    }

    private static TokenAuthConfiguration ReadToken(ConfigSection token, bool builtInService)
    {
        var rootCertBundle = token.String("rootcertbundle");
        var jwks = token.String("jwks");
        if (rootCertBundle is null && jwks is null && !builtInService)
        {
            throw token.Error("rootcertbundle", "is required (or auth.token.jwks): tokens cannot be verified without signing keys");
        }

        var algorithms = token.StringList("signingalgorithms");
        for (var i = 0; i < algorithms.Count; i++)
        {
            if (!SigningAlgorithms.Contains(algorithms[i], StringComparer.Ordinal))
            {
                throw new RegistryConfigurationException(
                    $"{token.PathOf("signingalgorithms")}[{i}]: '{algorithms[i]}' is not one of {string.Join(", ", SigningAlgorithms)}");
            }
        }

        return new TokenAuthConfiguration
        {
            Realm = builtInService ? token.String("realm") ?? "" : token.RequiredString("realm"),
            Service = token.RequiredString("service"),
            Issuer = token.RequiredString("issuer"),
            RootCertBundle = rootCertBundle,
            Jwks = jwks,
            AutoRedirect = token.Bool("autoredirect") ?? false,
            AutoRedirectPath = token.String("autoredirectpath") ?? "/auth/token/",
            SigningAlgorithms = algorithms,
        };
    }
}

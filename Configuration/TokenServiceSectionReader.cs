namespace RegistryCloud.Configuration;

/// <summary>Reads <c>tokenservice</c>; it needs <c>auth.token</c> for the issuer and service its tokens name.</summary>
internal static class TokenServiceSectionReader
{
    public static TokenServiceConfiguration? Read(ConfigSection root, AuthConfiguration auth)
    {
        if (!root.Has("tokenservice"))
        {
            return null;
        }

        var section = root.Section("tokenservice");
        if (auth.Token is null)
        {
            throw new RegistryConfigurationException(
                "tokenservice: needs auth.token (realm, service, issuer): the gateway verifies the tokens it issues with it");
        }

        var expiration = section.Duration("expiration") ?? TokenServiceConfiguration.DefaultExpiration;
        if (expiration < TimeSpan.FromSeconds(10) || expiration > TokenServiceConfiguration.MaximumExpiration)
        {
            throw section.Error("expiration", $"'{expiration}' must be between 10s and 1h: tokens are short-lived");
        }

        return new TokenServiceConfiguration
        {
            Htpasswd = section.RequiredString("htpasswd"),
            Key = section.RequiredString("key"),
            Certificate = section.String("certificate"),
            Expiration = expiration,
        };
    }
}

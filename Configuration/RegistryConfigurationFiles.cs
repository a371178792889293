namespace RegistryCloud.Configuration;

/// <summary>The files a configuration names, each with its key, and which of them are missing.</summary>
internal static class RegistryConfigurationFiles
{
    public static IEnumerable<(string Key, string Path)> Referenced(RegistryConfiguration configuration)
    {
        if (configuration.Http.Tls is { } tls)
        {
            yield return ("http.tls.certificate", tls.Certificate);
            yield return ("http.tls.key", tls.Key);
            for (var i = 0; i < tls.ClientCas.Count; i++)
            {
                yield return ($"http.tls.clientcas[{i}]", tls.ClientCas[i]);
            }
        }

        if (configuration.Auth.Htpasswd is { } htpasswd)
        {
            yield return ("auth.htpasswd.path", htpasswd.Path);
        }

        if (configuration.Auth.Token is { } token)
        {
            if (token.RootCertBundle is { } bundle)
            {
                yield return ("auth.token.rootcertbundle", bundle);
            }

            if (token.Jwks is { } jwks)
            {
                yield return ("auth.token.jwks", jwks);
            }
        }

        if (configuration.TokenService is { } tokenService)
        {
            yield return ("tokenservice.htpasswd", tokenService.Htpasswd);
            yield return ("tokenservice.key", tokenService.Key);
            if (tokenService.Certificate is { } certificate)
            {
                yield return ("tokenservice.certificate", certificate);
            }
        }

        if (configuration.Redis?.Tls is { } redisTls)
        {
            if (redisTls.Certificate is { } certificate)
            {
                yield return ("redis.tls.certificate", certificate);
            }

            if (redisTls.Key is { } key)
            {
                yield return ("redis.tls.key", key);
            }

            for (var i = 0; i < redisTls.RootCas.Count; i++)
            {
                yield return ($"redis.tls.rootcas[{i}]", redisTls.RootCas[i]);
            }
        }
    }

    public static List<string> Missing(RegistryConfiguration configuration, Func<string, bool> fileExists) =>
        [.. Referenced(configuration)
            .Where(file => !fileExists(file.Path))
            .Select(file => $"{file.Key}: file '{file.Path}' does not exist")];
}

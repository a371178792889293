using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Authentication;
using RegistryCloud.Gateway.Authorization;
using RegistryCloud.Gateway.Limits;
using RegistryCloud.Gateway.Tokens;

namespace RegistryCloud.Gateway.Extensions;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the configured access controller, the ACL, the rate limits and the built-in token service. Files
    /// (htpasswd, keys, certificate bundles, JWKS) are read when the pipeline is built, so a
    /// missing or unreadable one stops start-up with a message that names its key.
    /// </summary>
    public static IServiceCollection AddRegistryAuthentication(this IServiceCollection services, RegistryConfiguration registry)
    {
        var auth = registry.Auth;
        services.AddSingleton(new AccessControlList(registry.AccessControl));
        if (registry.AccessControl is not null)
        {
            services.AddSingleton<CatalogPages>();
        }

        services.AddSingleton(provider => new RateLimits(registry.RateLimit, provider.GetRequiredService<ILogger<RateLimits>>()));
        if (auth.Htpasswd is { } htpasswd)
        {
            services.AddSingleton(provider => new HtpasswdAuthenticator(htpasswd.Realm, LoadUsers(provider, htpasswd.Path, "auth.htpasswd.path")));
        }

        if (registry.TokenService is { } tokenService && auth.Token is { } issuerToken)
        {
            services.AddSingleton(provider => new TokenIssuer(tokenService, issuerToken, provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton(provider => new TokenServiceUsers(LoadUsers(provider, tokenService.Htpasswd, "tokenservice.htpasswd")));
        }

        if (auth.Token is { } token)
        {
            services.AddSingleton(provider => new TokenVerifier(
                token,
                TrustedTokenKeys.Load(token, provider.GetService<TokenIssuer>()?.PublicKey),
                provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton<BearerAuthenticator>();
        }

        return services;
    }

    /// <summary>The per-client limit runs before authentication, the per-user limit after it.</summary>
    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app, bool perUser)
    {
        var limits = app.ApplicationServices.GetRequiredService<RateLimits>();
        return perUser ? limits.UsePerUser(app) : limits.UsePerClient(app);
    }

    private static HtpasswdFile LoadUsers(IServiceProvider provider, string path, string key)
    {
        var file = new HtpasswdFile(path, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<HtpasswdFile>>(), key);
        file.Load();
        return file;
    }
}

/// <summary>The users of the built-in token service: <c>tokenservice.htpasswd</c>.</summary>
internal sealed record TokenServiceUsers(HtpasswdFile File);

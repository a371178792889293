using RegistryCloud.Core.Configuration;

namespace RegistryCloud.Gateway.Security;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Registers the configured access controller. The htpasswd file is read now, so a missing
    /// or unreadable file stops start-up with a message that names <c>auth.htpasswd.path</c>.
    /// </summary>
    public static IServiceCollection AddRegistryAuthentication(this IServiceCollection services, AuthConfiguration auth)
    {
        if (auth.Htpasswd is { } htpasswd)
        {
            services.AddSingleton(provider =>
            {
                var file = new HtpasswdFile(htpasswd.Path, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<HtpasswdFile>>());
                file.Load();
                return new HtpasswdAuthenticator(htpasswd.Realm, file);
            });
        }

        return services;
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace RegistryCloud.WebConsole.Security;

/// <summary>
/// Keeps sessions on the server: the cookie holds only a random session id, the ticket (the
/// user's name and the password the console calls the registry with) lives in the distributed
/// cache (Redis when configured, shared by every replica), encrypted with the shared Data
/// Protection keys so Redis never holds a password in clear. Signing out removes it at once.
/// </summary>
internal sealed class SessionTicketStore(IDistributedCache cache, IDataProtectionProvider protection, TimeProvider time) : ITicketStore
{
    private const string KeyPrefix = "registrycloud:console:session:";
    private readonly IDataProtector _protector = protection.CreateProtector("RegistryCloud.WebConsole.Session");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(id, ticket);
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var expires = ticket.Properties.ExpiresUtc ?? time.GetUtcNow().Add(RegistryCloud.WebConsole.WebConsoleOptions.SessionLifetime);
        return cache.SetAsync(KeyPrefix + key, _protector.Protect(TicketSerializer.Default.Serialize(ticket)), new DistributedCacheEntryOptions { AbsoluteExpiration = expires });
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await cache.GetAsync(KeyPrefix + key);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(bytes));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Keys rotated away or a tampered entry: the session is simply gone.
            return null;
        }
    }

    public Task RemoveAsync(string key) => cache.RemoveAsync(KeyPrefix + key);
}

/// <summary>Points the cookie handler at <see cref="SessionTicketStore"/> once the container can build it.</summary>
internal sealed class SessionStoreSetup(SessionTicketStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options) => options.SessionStore = store;
}

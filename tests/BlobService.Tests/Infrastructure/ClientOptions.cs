using Microsoft.AspNetCore.Mvc.Testing;

namespace RegistryCloud.BlobService.Tests.Infrastructure;

internal static class ClientOptions
{
    /// <summary>Clients see every status as sent: no redirect is followed, no cookie kept.</summary>
    public static HttpClient CreateRegistryClient(this WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}

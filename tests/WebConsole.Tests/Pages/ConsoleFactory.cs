using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.WebConsole.Extensions;

namespace RegistryCloud.WebConsole.Tests.Pages;

/// <summary>The console in process, its registry the in-memory <see cref="FakeRegistry"/>.</summary>
public class ConsoleFactory : WebApplicationFactory<Program>
{
    /// <summary>Every test of a class signs in from the same (test server) address: enough for them all.</summary>
    public virtual int LoginAttemptsPerMinute => 1000;

    internal FakeRegistry Registry { get; } = new();

    internal FakeBlobService Blobs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("WebConsole:Registry", "http://registry.test/");
        builder.UseSetting("WebConsole:PullHost", "registry.example:5000");
        builder.UseSetting("WebConsole:Blobs", "http://blobservice.test/");
        builder.UseSetting("WebConsole:LoginAttemptsPerMinute", LoginAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services =>
        {
            services.AddHttpClient(WebConsoleExtensions.RegistryClientName).ConfigurePrimaryHttpMessageHandler(() => Registry);
            services.AddHttpClient(nameof(WebConsoleOptions.Blobs)).ConfigurePrimaryHttpMessageHandler(() => Blobs);
        });
    }

    /// <summary>A browser-like client under <c>/console/</c> that keeps cookies and does not follow redirects.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("http://localhost/console/"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });
}

/// <summary>The console allowing three sign-in attempts a minute per client address.</summary>
public sealed class RateLimitedConsoleFactory : ConsoleFactory
{
    public override int LoginAttemptsPerMinute => 3;
}

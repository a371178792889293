using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RegistryCloud.Hosting;

namespace RegistryCloud.Configuration.Tests.Hosting;

/// <summary><c>http.draintimeout</c>: how long the host waits for in-flight requests on shutdown.</summary>
public sealed class DrainTimeoutTests
{
    [Theory]
    [InlineData("45s", 45)]
    [InlineData("2m", 120)]
    public void The_drain_timeout_becomes_the_host_shutdown_timeout(string drain, int seconds)
    {
        using var provider = Build(("REGISTRY_HTTP_DRAINTIMEOUT", drain));

        Assert.Equal(TimeSpan.FromSeconds(seconds), provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void Without_a_drain_timeout_the_host_keeps_its_default()
    {
        using var provider = Build();

        Assert.Equal(new HostOptions().ShutdownTimeout, provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistryConfiguration(configuration);
        return services.BuildServiceProvider();
    }
}

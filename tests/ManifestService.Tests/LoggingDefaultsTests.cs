using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.ManifestService.Tests.Infrastructure;

namespace RegistryCloud.ManifestService.Tests;

/// <summary>
/// Every manifest push makes gRPC calls to BlobService; HttpClientFactory and Polly log each one
/// at Information (four lines and one), which the benchmark's ManifestService wrote 144,000 times
/// in one run. They stay at Warning unless an operator asks for more.
/// </summary>
public sealed class LoggingDefaultsTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    [Theory]
    [InlineData("System.Net.Http.HttpClient.BlobContentClient.LogicalHandler")]
    [InlineData("System.Net.Http.HttpClient.BlobContentClient.ClientHandler")]
    [InlineData("Polly")]
    public void Per_call_client_logs_are_off_at_Information(string category)
    {
        var logger = services.ManifestServices.GetRequiredService<ILoggerFactory>().CreateLogger(category);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void The_services_own_logs_stay_at_Information()
    {
        var logger = services.ManifestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RegistryCloud.ManifestService.Apis.ManifestsApi");

        Assert.True(logger.IsEnabled(LogLevel.Information));
    }
}

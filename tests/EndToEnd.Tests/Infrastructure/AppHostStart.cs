using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Starts the real AppHost for a fixture of its own (no dashboard) and waits until the named
/// resources are healthy; an app that does not get there is stopped before the failure is thrown.
/// </summary>
internal static class AppHostStart
{
    public static readonly string[] Services = ["gateway", "blobservice", "manifestservice", "notifierservice"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public static async Task<DistributedApplication> StartAsync(IEnumerable<string> arguments, IEnumerable<string> resources)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        DistributedApplication? app = null;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [.. arguments], (options, _) => options.DisableDashboard = true, timeout.Token);
            app = await builder.BuildAsync(timeout.Token);
            await app.StartAsync(timeout.Token);
            await Task.WhenAll(resources.Select(name =>
                app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, timeout.Token)));
            return app;
        }
        catch
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }

            throw;
        }
    }

    public static async Task StopAsync(DistributedApplication? app)
    {
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}

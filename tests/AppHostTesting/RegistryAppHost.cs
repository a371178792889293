using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCloud.Tests.AppHostTesting;

/// <summary>
/// Starts the real AppHost (the entry point the caller's <c>Projects.AppHost</c> names) with the
/// given arguments and waits until the named resources are healthy; what the end-to-end and
/// resilience fixtures share.
/// </summary>
public static class RegistryAppHost
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The registry's services, each healthy before a fixture's app counts as started.</summary>
    public static readonly string[] Services = ["gateway", "blobservice", "manifestservice", "notifierservice"];

    /// <summary>The AppHost's names for a service's replicas: <c>blobservice</c>, <c>blobservice-2</c>, ...</summary>
    public static string ReplicaName(string service, int index) =>
        index == 0 ? service : $"{service}-{(index + 1).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Builds and starts the app; <paramref name="configure"/> may change the model first. On a
    /// failure the half-started app is disposed and the exception says each resource's state.
    /// </summary>
    public static async Task<DistributedApplication> StartAsync(
        Type entryPoint,
        string[] arguments,
        IReadOnlyList<string> healthy,
        Action<IDistributedApplicationTestingBuilder>? configure,
        CancellationToken cancellationToken)
    {
        // The services talk plain HTTP to each other and to the dashboard's collector in tests.
        if (Environment.GetEnvironmentVariable("ASPIRE_ALLOW_UNSECURED_TRANSPORT") is null)
        {
            Environment.SetEnvironmentVariable("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        DistributedApplication? app = null;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync(
                entryPoint, arguments, (options, _) => options.DisableDashboard = true, timeout.Token);
            configure?.Invoke(builder);
            app = await builder.BuildAsync(timeout.Token);
            await app.StartAsync(timeout.Token);
            await Task.WhenAll(healthy.Select(name =>
                app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, timeout.Token)));
            return app;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"not healthy within {StartTimeout}" : e.Message.TrimEnd('.');
            var diagnostics = app is null ? string.Empty : Describe(app, healthy);
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            throw new InvalidOperationException($"The AppHost did not start: {reason}.{Environment.NewLine}{diagnostics}", e);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>
    /// Each resource's state, health and exit code. Their logs are already in the test output:
    /// the testing builder forwards every resource's console to the host's logger.
    /// </summary>
    public static string Describe(DistributedApplication app, IEnumerable<string> resources) =>
        string.Join(Environment.NewLine, resources.Select(name =>
            app.ResourceNotifications.TryGetCurrentState(name, out var current)
                ? $"{name}: {current.Snapshot.State?.Text ?? "no state"}, health {current.Snapshot.HealthStatus?.ToString() ?? "unknown"}, " +
                  $"exit code {current.Snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}"
                : $"{name}: not started (or not in the app model)"));

    /// <summary>
    /// Where the gateway really answers. The testing builder randomizes the host port of every
    /// proxied endpoint, so the requested port is only what identifies the gateway's endpoint.
    /// </summary>
    public static string ResolveGatewayAddress(DistributedApplication app, int requestedPort)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var gateway = model.Resources.OfType<IResourceWithEndpoints>().SingleOrDefault(r => r.Name == "gateway")
            ?? throw new InvalidOperationException("The app model has no 'gateway' resource with endpoints.");
        var endpoints = gateway.GetEndpoints().Where(e => e.EndpointAnnotation.UriScheme == "http").ToList();
        var endpoint = endpoints.FirstOrDefault(e => e.EndpointAnnotation.Port == requestedPort)
            ?? (endpoints.Count == 1 ? endpoints[0] : null)
            ?? throw new InvalidOperationException(
                $"The gateway has no http endpoint on the requested port {requestedPort}: " +
                string.Join(", ", gateway.GetEndpoints().Select(e => $"{e.EndpointName} ({e.EndpointAnnotation.UriScheme}, port {e.EndpointAnnotation.Port})")));
        return $"localhost:{endpoint.Port}";
    }
}

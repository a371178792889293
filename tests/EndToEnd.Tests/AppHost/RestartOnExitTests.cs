using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Restarts;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>Which resources the AppHost restarts when they die, checked on the app model without starting it.</summary>
public sealed class RestartOnExitTests
{
    [Fact]
    public void Processes_are_restarted_and_containers_left_to_their_runtime()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [], DisableDashboard = true });
        var project = builder.AddResource(new ProjectResource("blobservice")).Resource;
        var redis = builder.AddExecutable("redis", "redis-server", "/tmp").Resource;
        var container = builder.AddContainer("cache", "redis").Resource;

        builder.AddRestartOnExit(Settings(restartOnExit: true), [project, redis, container, null]);

        Assert.True(project.RestartsOnExit());
        Assert.True(redis.RestartsOnExit());
        Assert.False(container.RestartsOnExit());
        Assert.Contains(builder.Services, service => service.ServiceType == typeof(IHostedService) && service.ImplementationType == typeof(ResourceSupervisor));
    }

    [Fact]
    public void With_restarts_turned_off_nothing_is_restarted()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [], DisableDashboard = true });
        var project = builder.AddResource(new ProjectResource("blobservice")).Resource;

        builder.AddRestartOnExit(Settings(restartOnExit: false), [project]);

        Assert.False(project.RestartsOnExit());
        Assert.DoesNotContain(builder.Services, service => service.ImplementationType == typeof(ResourceSupervisor));
    }

    private static AppHostSettings Settings(bool restartOnExit) =>
        new(5000, "/tmp/data", RedisMode.None, "redis-server") { RestartOnExit = restartOnExit };
}

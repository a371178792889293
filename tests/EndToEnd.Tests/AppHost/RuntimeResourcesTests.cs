using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using RegistryCloud.AppHost.Resources;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>The .NET runtime settings the AppHost gives the services, checked on the app model without starting it.</summary>
public sealed class RuntimeResourcesTests
{
    [Fact]
    public async Task A_service_gets_prompt_tier_up_by_default()
    {
        var environment = await EnvironmentOfAsync(_ => null);

        Assert.Equal("0", environment[RuntimeResources.CallCountingDelayVariable]);
    }

    [Fact]
    public async Task An_operators_own_setting_is_left_to_be_inherited()
    {
        var environment = await EnvironmentOfAsync(name => name == RuntimeResources.CallCountingDelayVariable ? "64" : null);

        Assert.False(environment.ContainsKey(RuntimeResources.CallCountingDelayVariable));
    }

    private static async Task<Dictionary<string, object>> EnvironmentOfAsync(Func<string, string?> appHostEnvironment)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [], DisableDashboard = true });
        var project = builder.AddResource(new ProjectResource("manifestservice")).WithPromptTierUp(appHostEnvironment).Resource;
        var execution = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run);
        var environment = new Dictionary<string, object>();
        foreach (var annotation in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(new EnvironmentCallbackContext(execution, environment, TestContext.Current.CancellationToken));
        }

        return environment;
    }
}

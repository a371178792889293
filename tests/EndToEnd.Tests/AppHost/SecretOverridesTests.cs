using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using RegistryCloud.AppHost;
using RegistryCloud.AppHost.Resources;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>
/// REGISTRY_* overrides that carry credentials reach the services as secret parameters, which the
/// dashboard masks, and the rest as plain variables; checked on the app model without starting it.
/// </summary>
public sealed class SecretOverridesTests
{
    [Fact]
    public async Task A_password_override_is_a_secret_parameter_shared_by_the_services_and_other_overrides_stay_plain()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [], DisableDashboard = true });
        var settings = new AppHostSettings(5000, "/tmp/data", RedisMode.None, "redis-server")
        {
            Overrides = new Dictionary<string, string?>
            {
                ["REGISTRY_REDIS_PASSWORD"] = "s3cret-value",
                ["REGISTRY_STORAGE_DELETE_ENABLED"] = "true",
            },
        };
        var blobs = builder.AddResource(new ProjectResource("blobservice")).WithRegistryConfiguration(settings).Resource;
        builder.AddResource(new ProjectResource("manifestservice")).WithRegistryConfiguration(settings);

        var environment = await EnvironmentOfAsync(blobs);

        var parameter = Assert.Single(builder.Resources.OfType<ParameterResource>());
        Assert.True(parameter.Secret);
        Assert.Same(parameter, environment["REGISTRY_REDIS_PASSWORD"]);
        Assert.Equal("true", environment["REGISTRY_STORAGE_DELETE_ENABLED"]);
    }

    [Theory]
    [InlineData("REGISTRY_REDIS_PASSWORD", true)]
    [InlineData("REGISTRY_REDIS_SENTINELPASSWORD", true)]
    [InlineData("REGISTRY_HTTP_SECRET", true)]
    [InlineData("REGISTRY_STORAGE_S3_SECRETKEY", true)]
    [InlineData("REGISTRY_STORAGE_S3_ACCESSKEY", true)]
    [InlineData("REGISTRY_STORAGE_AZURE_ACCOUNTKEY", true)]
    [InlineData("REGISTRY_STORAGE_AZURE_CONNECTIONSTRING", true)]
    [InlineData("REGISTRY_HTTP_TLS_KEY", false)]
    [InlineData("REGISTRY_STORAGE_S3_BUCKET", false)]
    public void Credentials_are_told_from_settings_by_their_key(string variable, bool secret)
    {
        Assert.Equal(secret, ServiceResources.IsSecret(variable));
    }

    private static async Task<Dictionary<string, object>> EnvironmentOfAsync(IResource resource)
    {
        var execution = new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run);
        var environment = new Dictionary<string, object>();
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(new EnvironmentCallbackContext(execution, environment, TestContext.Current.CancellationToken));
        }

        return environment;
    }
}

namespace RegistryCloud.AppHost.Resources;

/// <summary>.NET runtime settings the AppHost gives every service it runs.</summary>
internal static class RuntimeResources
{
    /// <summary>The runtime's quiet period, in milliseconds, before it recompiles hot methods with full optimization.</summary>
    public const string CallCountingDelayVariable = "DOTNET_TC_CallCountingDelayMs";

    /// <summary>
    /// Hot methods are recompiled (tier 1, with profile-guided optimization) as soon as they are
    /// hot, instead of after a quiet period in which no new method was compiled: under steady load
    /// a service keeps compiling new methods, so that quiet period kept being postponed and a fresh
    /// service stayed slow for thousands of requests (docs/performance.md, "Runtime settings"). The
    /// image files (deploy/docker) set the same. An operator's own value, in the AppHost's
    /// environment, is inherited by the services and left alone.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPromptTierUp(this IResourceBuilder<ProjectResource> project, Func<string, string?>? environment = null) =>
        (environment ?? Environment.GetEnvironmentVariable)(CallCountingDelayVariable) is null
            ? project.WithEnvironment(CallCountingDelayVariable, "0")
            : project;
}

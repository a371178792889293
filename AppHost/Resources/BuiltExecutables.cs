using System.Reflection;
using System.Runtime.InteropServices;

namespace RegistryCloud.AppHost.Resources;

/// <summary>
/// Starts each service's built executable directly, instead of through <c>dotnet run</c>.
/// </summary>
/// <remarks>
/// Aspire runs a project resource as <c>dotnet run --project X.csproj --no-build</c>: a whole SDK
/// process (140 MiB resident) that stays alive beside each service only to wait for it
/// (docs/performance.md, "Idle memory"). A project resource with an <see cref="ExecutableAnnotation"/>
/// is started as that command instead, still as a project resource: its endpoints, references
/// (service discovery), health checks, environment (OTLP telemetry), logs, replicas and the
/// restart supervisor are the same. The AppHost's project references still build every service
/// first; the build records where each one's output went (AppHost.csproj,
/// <c>RegistryCloud.ServiceOutput</c>), in whichever configuration it was built, so the
/// executable started is the one just built.
/// </remarks>
internal static class BuiltExecutables
{
    /// <summary>The assembly metadata AppHost.csproj writes: key prefix, then the project file's full path.</summary>
    public const string MetadataPrefix = "RegistryCloud.ServiceOutput:";

    /// <summary>The runtime's own variable: where the executable finds the runtime.</summary>
    public const string DotnetRootVariable = "DOTNET_ROOT";

    /// <summary>
    /// Runs <paramref name="project"/>'s built executable, with the project directory as working
    /// directory as <c>dotnet run</c> had (its <c>appsettings.json</c> is read from there). A
    /// project whose output the build did not record, or is missing, is left to Aspire's
    /// <c>dotnet run</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBuiltExecutable(this IResourceBuilder<ProjectResource> project, Func<string, string?>? environment = null)
    {
        var metadata = project.Resource.GetProjectMetadata();
        if (Find(metadata.ProjectPath) is not { } executable)
        {
            return project;
        }

        project.Resource.Annotations.Add(new ExecutableAnnotation
        {
            Command = executable,
            WorkingDirectory = Path.GetDirectoryName(metadata.ProjectPath)!,
        });

        // The executable looks for the runtime in DOTNET_ROOT or the system's install location,
        // never on PATH, where `dotnet run` found it: point it at the runtime the AppHost runs on,
        // unless the operator chose one.
        return (environment ?? Environment.GetEnvironmentVariable)(DotnetRootVariable) is null
            ? project.WithEnvironment(DotnetRootVariable, DotnetRoot())
            : project;
    }

    /// <summary>The built executable of the project at <paramref name="projectPath"/>, if the build recorded one that exists.</summary>
    public static string? Find(string projectPath)
    {
        var key = MetadataPrefix + Path.GetFullPath(projectPath);
        var assemblyPath = typeof(BuiltExecutables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => string.Equals(attribute.Key, key, StringComparison.Ordinal))?.Value;
        if (string.IsNullOrEmpty(assemblyPath))
        {
            return null;
        }

        var executable = Path.ChangeExtension(assemblyPath, OperatingSystem.IsWindows() ? ".exe" : null);
        return File.Exists(executable) ? executable : null;
    }

    /// <summary>The .NET installation whose runtime runs the AppHost (three folders above <c>shared/Microsoft.NETCore.App/&lt;version&gt;</c>).</summary>
    public static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
}

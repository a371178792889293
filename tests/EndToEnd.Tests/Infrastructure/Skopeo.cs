namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// skopeo, for moving images between OCI layouts, docker archives and registries without a
/// daemon. The test registry speaks plain HTTP, so TLS verification is off towards it.
/// </summary>
public static class Skopeo
{
    /// <summary>
    /// <c>skopeo copy</c> from one transport reference (<c>oci:dir:tag</c>,
    /// <c>docker://host/name:tag</c>, <c>docker-archive:file:name:tag</c>) to another.
    /// </summary>
    public static Task<ProcessResult> CopyAsync(string source, string destination, CancellationToken cancellationToken) =>
        CopyAsync(source, destination, all: false, cancellationToken);

    /// <summary><c>skopeo copy --all</c>: an image index with every image it names.</summary>
    public static Task<ProcessResult> CopyAllAsync(string source, string destination, CancellationToken cancellationToken) =>
        CopyAsync(source, destination, all: true, cancellationToken);

    private static async Task<ProcessResult> CopyAsync(string source, string destination, bool all, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--insecure-policy", "copy"];
        if (all)
        {
            arguments.Add("--all");
        }

        if (IsRegistry(source))
        {
            arguments.Add("--src-tls-verify=false");
        }

        if (IsRegistry(destination))
        {
            arguments.Add("--dest-tls-verify=false");
        }

        arguments.Add(source);
        arguments.Add(destination);
        var result = await RunAsync(arguments, cancellationToken);
        return result.EnsureSuccess($"skopeo copy{(all ? " --all" : "")} {source} -> {destination}");
    }

    /// <summary>Runs skopeo with the given arguments and returns whatever happened.</summary>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(
            ProcessRunner.ResolveExecutable("skopeo", "/usr/bin/skopeo"),
            arguments,
            ProcessRunner.DefaultTimeout,
            // No credentials from the machine's login state.
            new Dictionary<string, string?> { ["REGISTRY_AUTH_FILE"] = null },
            cancellationToken);

    private static bool IsRegistry(string reference) => reference.StartsWith("docker://", StringComparison.Ordinal);
}

using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// skopeo verifying TLS against the test CA: each call names its credentials file and its
/// <c>--cert-dir</c>, so nothing comes from the machine's login state or trust store.
/// </summary>
internal static class SkopeoTls
{
    /// <summary><c>skopeo login</c> with the password on stdin, storing the credentials in <paramref name="authFile"/>.</summary>
    public static Task<ProcessResult> LoginAsync(string registry, string certificateDirectory, string authFile, string user, string password, CancellationToken cancellationToken) =>
        RunAsync(["login", "--authfile", authFile, "--cert-dir", certificateDirectory, "--username", user, "--password-stdin", registry], cancellationToken, password);

    /// <summary>
    /// <c>skopeo copy</c> between an OCI layout and the registry (or back), with the registry side's
    /// certificate directory and <paramref name="authFile"/> (an empty one: anonymous).
    /// </summary>
    public static Task<ProcessResult> CopyAsync(string source, string destination, string certificateDirectory, string authFile, CancellationToken cancellationToken)
    {
        var certificateOption = source.StartsWith("docker://", StringComparison.Ordinal) ? "--src-cert-dir" : "--dest-cert-dir";
        return RunAsync(["--insecure-policy", "copy", "--authfile", authFile, certificateOption, certificateDirectory, source, destination], cancellationToken);
    }

    /// <summary>A credentials file with no credentials in it: skopeo goes anonymous.</summary>
    public static string EmptyAuthFile(TemporaryDirectory work)
    {
        var path = work.Combine("anonymous-auth.json");
        File.WriteAllText(path, "{}");
        return path;
    }

    private static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null) =>
        ProcessRunner.RunAsync(
            ProcessRunner.ResolveExecutable("skopeo", "/usr/bin/skopeo"),
            arguments,
            ProcessRunner.DefaultTimeout,
            new Dictionary<string, string?> { ["REGISTRY_AUTH_FILE"] = null },
            cancellationToken,
            standardInput);
}

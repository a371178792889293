namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// podman with a private image store: as root, the <c>vfs</c> storage driver (no overlay mounts
/// in a container), its own root, run root and temp dir, and no login state from the machine,
/// so nothing it does touches or depends on the machine's images.
/// </summary>
public sealed class Podman
{
    private readonly string _executable = ProcessRunner.ResolveExecutable("podman", "/usr/bin/podman");
    private readonly string _directory;

    public Podman(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));

        // podman insists that a named auth file exists; an empty one means no credentials.
        File.WriteAllText(Path.Combine(directory, "auth.json"), """{"auths":{}}""");
    }

    /// <summary>Runs <c>podman</c> with the private store and throws with everything it printed unless it exits 0.</summary>
    public async Task<string> RunAsync(string purpose, CancellationToken cancellationToken, params string[] arguments)
    {
        string[] store =
        [
            "--root", Path.Combine(_directory, "root"),
            "--runroot", Path.Combine(_directory, "run"),
            "--tmpdir", Path.Combine(_directory, "tmp"),
            "--storage-driver", "vfs",
            "--cgroup-manager", "cgroupfs",
            "--events-backend", "none",
        ];
        var result = await ProcessRunner.RunAsync(
            _executable,
            [.. store, .. arguments],
            ProcessRunner.DefaultTimeout,
            new Dictionary<string, string?>
            {
                ["REGISTRY_AUTH_FILE"] = Path.Combine(_directory, "auth.json"),
                ["TMPDIR"] = Path.Combine(_directory, "tmp"),
            },
            cancellationToken);
        return result.EnsureSuccess(purpose).StandardOutput.Trim();
    }

    /// <summary>
    /// Loads the image an OCI layout holds under <paramref name="tag"/> and returns its id.
    /// podman names such an image after the layout's path, which must be a valid (lowercase)
    /// repository name; temp directories are not, so the pull goes through a lowercase link.
    /// </summary>
    public async Task<string> PullOciLayoutAsync(string layoutDirectory, string tag, CancellationToken cancellationToken)
    {
        var link = Path.Combine(Path.GetTempPath(), $"registrycloud-podman-{Guid.NewGuid():N}");
        Directory.CreateSymbolicLink(link, layoutDirectory);
        try
        {
            var output = await RunAsync("podman pull oci:", cancellationToken, "pull", "--quiet", $"oci:{link}:{tag}");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        }
        finally
        {
            Directory.Delete(link);
        }
    }
}

using System.Diagnostics;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>A small tmpfs the test mounts (as root) and unmounts: a volume that fills up for real.</summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts one of <paramref name="mebibytes"/> MiB; skips the test where mounting is not allowed (not root, no CAP_SYS_ADMIN).</summary>
    public static Tmpfs Mount(int mebibytes)
    {
        var path = Directory.CreateTempSubdirectory("registrycloud-full-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={mebibytes}m", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Assert.Skip($"this scenario mounts a tmpfs and needs root (CAP_SYS_ADMIN): mount said {output.Trim()}");
        }

        return new Tmpfs(path);
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}

namespace RegistryCloud.Hosting.Health;

/// <summary>
/// <c>health.file</c>: unhealthy while the file exists. Distribution's semantics: an operator
/// takes an instance out of rotation by touching the file, and back by removing it.
/// </summary>
public sealed class FileHealthProbe(string path) : IHealthProbe
{
    public Task<string?> ProbeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(path) || Directory.Exists(path) ? $"file {path} exists" : null);
}

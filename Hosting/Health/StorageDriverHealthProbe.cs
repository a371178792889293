using RegistryCloud.Storage;

namespace RegistryCloud.Hosting.Health;

/// <summary>
/// <c>health.storagedriver</c>: writes, reads back and deletes a small file at the storage root.
/// Distribution only stats the root; a write also catches the failure that matters most to a
/// registry — a root that still exists but no longer takes bytes (read-only remount, full disk,
/// the directory replaced by something else).
/// </summary>
public sealed class StorageDriverHealthProbe(IStorageDriver driver) : IHealthProbe
{
    // Outside docker/registry/v2, so neither Distribution nor RegistryCloud ever reads it as content.
    internal const string ProbePath = "/.registrycloud-health";

    private static readonly byte[] Content = "ok"u8.ToArray();

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await driver.PutContentAsync(ProbePath, Content, cancellationToken).ConfigureAwait(false);
            var read = await driver.GetContentAsync(ProbePath, cancellationToken).ConfigureAwait(false);
            // Replicas share the root and may delete each other's probe; a miss here is not a fault.
            await driver.DeleteAsync(ProbePath, cancellationToken).ConfigureAwait(false);
            return read is null || read.AsSpan().SequenceEqual(Content) ? null : $"storage driver {driver.Name} read back different bytes";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return $"storage driver {driver.Name} cannot write its root: {e.Message}";
        }
    }
}

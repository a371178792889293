using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Infrastructure;

/// <summary>An upload session's data file under a filesystem root, as a test watches it from outside.</summary>
internal static class UploadData
{
    public static FileInfo File(string root, string repository, string location) =>
        new(root + RegistryPaths.UploadData(repository, location[(location.LastIndexOf('/') + 1)..]));

    /// <summary>Waits until the session's data file holds at least <paramref name="bytes"/> bytes: a request is writing.</summary>
    public static Task WaitForAsync(string root, string repository, string location, long bytes)
    {
        var data = File(root, repository, location);
        return Poll.UntilAsync(
            () =>
            {
                data.Refresh();
                return data.Exists && data.Length >= bytes;
            },
            () => $"the request wrote {(data.Exists ? data.Length : 0)} of {bytes} bytes",
            TimeSpan.FromSeconds(30));
    }
}

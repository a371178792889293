using RegistryCloud.Storage;

namespace RegistryCloud.BlobService.Tests.Infrastructure;

/// <summary>An upload session's data file under a filesystem root, as a test watches it from outside.</summary>
internal static class UploadData
{
    public static FileInfo File(string root, string repository, string location) =>
        new(root + RegistryPaths.UploadData(repository, location[(location.LastIndexOf('/') + 1)..]));

    /// <summary>Waits until the session's data file holds at least <paramref name="bytes"/> bytes: a request is writing.</summary>
    public static async Task WaitForAsync(string root, string repository, string location, long bytes)
    {
        var data = File(root, repository, location);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            data.Refresh();
            if (data.Exists && data.Length >= bytes)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the request wrote {(data.Exists ? data.Length : 0)} of {bytes} bytes in 30 s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}

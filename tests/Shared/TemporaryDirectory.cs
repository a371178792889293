namespace RegistryCloud.Tests.Shared;

/// <summary>A fresh directory of one test's own under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    /// <summary>Made by the system's temp-directory call: a name no other test has, readable by this user only.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("registrycloud-tests-").FullName;

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// Where and how the Azure driver reaches its container. One way to authenticate is used, in this
/// order: <see cref="ConnectionString"/>; <see cref="AccountKey"/> (a shared key, which also signs
/// SAS URLs); a client secret (<see cref="TenantId"/>, <see cref="ClientId"/>, <see cref="ClientSecret"/>);
/// otherwise Azure.Identity's default credential chain (managed identity, workload identity,
/// environment), using the user-assigned identity <see cref="ClientId"/> when one is given.
/// </summary>
public sealed record AzureStorageDriverOptions
{
    public const string DefaultRealm = "core.windows.net";

    /// <summary>The default size of the blocks a writer stages, and so the memory one writer holds.</summary>
    public const int DefaultChunkSize = 4 * 1024 * 1024;

    public const int MinimumChunkSize = 64 * 1024;

    /// <summary>Kept well under the service's block limit (4000 MiB) so that a writer's buffer stays modest.</summary>
    public const int MaximumChunkSize = 100 * 1024 * 1024;

    /// <summary>The container, created on first write when missing.</summary>
    public required string Container { get; init; }

    public string? AccountName { get; init; }

    /// <summary>The account's shared key (base64).</summary>
    public string? AccountKey { get; init; }

    /// <summary>The DNS suffix of the service: the blob endpoint is <c>https://&lt;account&gt;.blob.&lt;realm&gt;</c>.</summary>
    public string Realm { get; init; } = DefaultRealm;

    /// <summary>The blob endpoint, overriding account and realm (Azurite, sovereign clouds, private endpoints).</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>An Azure Storage connection string (account key or SAS).</summary>
    public string? ConnectionString { get; init; }

    public string? TenantId { get; init; }

    /// <summary>With <see cref="ClientSecret"/>, the application; without, a user-assigned managed identity.</summary>
    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>A prefix under which every blob is stored (Distribution's <c>rootdirectory</c>).</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary>The size of the blocks a writer stages: memory per open writer, and 50,000 of them the largest file.</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>How long a lock's lease lasts unless renewed: how long a crashed holder keeps it (15 to 60 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The blob endpoint these options name.</summary>
    public Uri BlobEndpoint => ServiceUrl
        ?? new Uri($"https://{AccountName ?? throw new InvalidOperationException("An Azure account name or service URL is required.")}.blob.{Realm}");
}

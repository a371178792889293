namespace RegistryCloud.Configuration;

/// <summary>
/// <c>storage.azure</c>: Distribution's keys (<c>accountname</c>, <c>accountkey</c>, <c>container</c>,
/// <c>realm</c>, <c>rootdirectory</c>, <c>serviceurl</c>, <c>connectionstring</c>, <c>credentials</c>)
/// and RegistryCloud's <c>chunksize</c>.
/// </summary>
public sealed record AzureStorageConfiguration
{
    public const string DefaultRealm = "core.windows.net";

    public const long DefaultChunkSize = 4L * 1024 * 1024;

    /// <summary><c>container</c>: required, a valid container name; created on first write when missing.</summary>
    public string Container { get; init; } = "";

    /// <summary><c>accountname</c>: required unless a connection string or a service URL says where the account is.</summary>
    public string? AccountName { get; init; }

    /// <summary><c>accountkey</c>: the shared key (base64), with <see cref="AzureCredentialsType.SharedKey"/>.</summary>
    public string? AccountKey { get; init; }

    /// <summary><c>realm</c>: the endpoint suffix, <c>https://&lt;accountname&gt;.blob.&lt;realm&gt;</c>.</summary>
    public string Realm { get; init; } = DefaultRealm;

    /// <summary><c>serviceurl</c>: the blob endpoint itself (an emulator, a private endpoint), instead of account and realm.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary><c>connectionstring</c>: an Azure Storage connection string, in place of every other way to connect.</summary>
    public string? ConnectionString { get; init; }

    /// <summary><c>credentials.type</c>: how to authenticate when no connection string is given.</summary>
    public AzureCredentialsType CredentialsType { get; init; } = AzureCredentialsType.DefaultCredentials;

    /// <summary><c>credentials.clientid</c>: the application (client_secret) or the user-assigned managed identity (default_credentials).</summary>
    public string? ClientId { get; init; }

    /// <summary><c>credentials.tenantid</c> (client_secret).</summary>
    public string? TenantId { get; init; }

    /// <summary><c>credentials.secret</c> (client_secret).</summary>
    public string? Secret { get; init; }

    /// <summary><c>rootdirectory</c>: the prefix every blob name starts with.</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary><c>chunksize</c> (RegistryCloud's own): the block an upload stages at a time, 64 KiB to 100 MiB.</summary>
    public long ChunkSize { get; init; } = DefaultChunkSize;
}

/// <summary>The values of <c>storage.azure.credentials.type</c>.</summary>
public enum AzureCredentialsType
{
    /// <summary><c>default_credentials</c>: Azure.Identity's chain (managed or workload identity, environment, ...).</summary>
    DefaultCredentials,

    /// <summary><c>shared_key</c>: <c>accountname</c> and <c>accountkey</c>.</summary>
    SharedKey,

    /// <summary><c>client_secret</c>: an application's <c>tenantid</c>, <c>clientid</c> and <c>secret</c>.</summary>
    ClientSecret,

    /// <summary><c>connectionstring</c> was given: it says how.</summary>
    ConnectionString,
}

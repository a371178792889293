using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// The container client the options describe, and what the chosen credential can sign: a shared
/// key signs service SAS URLs itself; a token credential asks for a user delegation key (cached
/// for a day) to sign them, and authorizes server-side copies with a bearer token; a SAS
/// connection string carries its own token in every URL and signs nothing new.
/// </summary>
internal sealed class AzureAccess
{
    private static readonly string[] StorageScope = ["https://storage.azure.com/.default"];
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly TokenCredential? _token;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _delegationGate = new(1, 1);
    private UserDelegationKey? _delegationKey;

    private AzureAccess(BlobServiceClient service, string container, TokenCredential? token, TimeProvider time)
    {
        Service = service;
        Container = service.GetBlobContainerClient(container);
        _token = token;
        _time = time;
    }

    public BlobServiceClient Service { get; }

    public BlobContainerClient Container { get; }

    public static AzureAccess Create(AzureStorageDriverOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Container);
        var clientOptions = new BlobClientOptions();
        if (options.ConnectionString is { Length: > 0 } connectionString)
        {
            return new AzureAccess(new BlobServiceClient(connectionString, clientOptions), options.Container, null, time);
        }

        if (options.AccountKey is { Length: > 0 } key)
        {
            var account = options.AccountName ?? throw new ArgumentException("An account key needs the account name.", nameof(options));
            var shared = new StorageSharedKeyCredential(account, key);
            return new AzureAccess(new BlobServiceClient(options.BlobEndpoint, shared, clientOptions), options.Container, null, time);
        }

        TokenCredential credential = options.ClientSecret is { Length: > 0 } secret
            ? new ClientSecretCredential(options.TenantId, options.ClientId, secret)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = options.ClientId,
                WorkloadIdentityClientId = options.ClientId,
            });
        return new AzureAccess(new BlobServiceClient(options.BlobEndpoint, credential, clientOptions), options.Container, credential, time);
    }

    /// <summary>A read-only SAS URL of one blob until <paramref name="expiresOn"/>, or null when nothing can sign one.</summary>
    public async Task<Uri?> ReadUrlAsync(BlobClient blob, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var builder = new BlobSasBuilder(BlobSasPermissions.Read, expiresOn)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = _time.GetUtcNow() - ClockSkew,
            // Over HTTPS only, as Distribution signs them, unless the service itself is plain HTTP (an emulator).
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(builder);
        }

        if (_token is null)
        {
            return null;
        }

        var key = await DelegationKeyAsync(expiresOn, cancellationToken).ConfigureAwait(false);
        return new BlobUriBuilder(blob.Uri)
        {
            Sas = builder.ToSasQueryParameters(key, Service.AccountName),
        }.ToUri();
    }

    /// <summary>How the service may read <paramref name="blob"/> for a server-side copy (Put Block From URL).</summary>
    public async Task<(Uri Source, HttpAuthorization? Authorization)> CopySourceAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        if (blob.CanGenerateSasUri)
        {
            return (blob.GenerateSasUri(BlobSasPermissions.Read, _time.GetUtcNow().AddHours(1)), null);
        }

        if (_token is not null)
        {
            var token = await _token.GetTokenAsync(new TokenRequestContext(StorageScope), cancellationToken).ConfigureAwait(false);
            return (blob.Uri, new HttpAuthorization("Bearer", token.Token));
        }

        // A SAS connection string: the blob's URL already carries the token.
        return (blob.Uri, null);
    }

    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset needed, CancellationToken cancellationToken)
    {
        await _delegationGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_delegationKey is { } cached && cached.SignedExpiresOn >= needed)
            {
                return cached;
            }

            var now = _time.GetUtcNow();
            var expires = now + (needed - now > DelegationKeyLifetime ? needed - now : DelegationKeyLifetime);
            var response = await Service.GetUserDelegationKeyAsync(now - ClockSkew, expires, cancellationToken).ConfigureAwait(false);
            return _delegationKey = response.Value;
        }
        finally
        {
            _delegationGate.Release();
        }
    }
}

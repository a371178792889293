using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Configuration;

/// <summary>The <c>storage</c> section of the printed configuration, with each driver's own keys.</summary>
internal static partial class RegistryConfigurationWriter
{
    private static YamlMappingNode Storage(StorageConfiguration storage) => Map(
        (storage.Driver, storage.FileSystem is { } fileSystem
            ? Map(("rootdirectory", Text(fileSystem.RootDirectory)), ("maxthreads", Number(fileSystem.MaxThreads)), ("directio", Flag(fileSystem.DirectIo)))
            : storage.S3 is { } s3 ? S3(s3)
            : storage.Azure is { } azure ? Azure(azure)
            : new YamlScalarNode()),
        ("delete", Map(("enabled", Flag(storage.DeleteEnabled)))),
        ("redirect", Map(("disable", Flag(storage.RedirectDisabled)))),
        ("cache", storage.BlobDescriptorCache == BlobDescriptorCacheKind.None ? null : Map(
            ("blobdescriptor", Text(storage.BlobDescriptorCache.ToString().ToLowerInvariant())),
            ("blobdescriptorsize", Number(storage.BlobDescriptorCacheSize)))),
        ("maintenance", Map(
            ("uploadpurging", Map(
                ("enabled", Flag(storage.UploadPurging.Enabled)),
                ("age", Duration(storage.UploadPurging.Age)),
                ("interval", Duration(storage.UploadPurging.Interval)),
                ("dryrun", Flag(storage.UploadPurging.DryRun)))),
            ("readonly", Map(("enabled", Flag(storage.ReadOnly)))))),
        ("tag", Map(("concurrencylimit", Number(storage.TagConcurrencyLimit)))));

    private static YamlMappingNode S3(S3StorageConfiguration s3) => Map(
        ("region", Text(s3.Region)),
        ("regionendpoint", Text(s3.RegionEndpoint)),
        ("forcepathstyle", Flag(s3.ForcePathStyle)),
        ("bucket", Text(s3.Bucket)),
        ("accesskey", s3.AccessKey is null ? null : Text(Mask)),
        ("secretkey", s3.SecretKey is null ? null : Text(Mask)),
        ("secure", Flag(s3.Secure)),
        ("skipverify", Flag(s3.SkipVerify)),
        ("encrypt", Flag(s3.Encrypt)),
        ("keyid", Text(s3.KeyId)),
        ("chunksize", Text(s3.ChunkSize.ToString(CultureInfo.InvariantCulture))),
        ("rootdirectory", Text(s3.RootDirectory)),
        ("storageclass", Text(s3.StorageClass)),
        ("multipartcopychunksize", Text(s3.MultipartCopyChunkSize.ToString(CultureInfo.InvariantCulture))),
        ("multipartcopymaxconcurrency", Number(s3.MultipartCopyMaxConcurrency)),
        ("multipartcopythresholdsize", Text(s3.MultipartCopyThresholdSize.ToString(CultureInfo.InvariantCulture))),
        ("v4auth", Flag(s3.V4Auth)),
        ("useragent", Text(s3.UserAgent)),
        ("loglevel", Text(s3.LogLevel)),
        ("checksums", Text(s3.ChecksumsWhenRequired ? "whenrequired" : "whensupported")));

    private static YamlMappingNode Azure(AzureStorageConfiguration azure) => Map(
        ("accountname", Text(azure.AccountName)),
        ("accountkey", azure.AccountKey is null ? null : Text(Mask)),
        ("container", Text(azure.Container)),
        ("realm", Text(azure.Realm)),
        ("serviceurl", Text(azure.ServiceUrl is { } url ? WithoutQuery(url) : null)),
        ("connectionstring", azure.ConnectionString is null ? null : Text(Mask)),
        ("credentials", azure.CredentialsType == AzureCredentialsType.ConnectionString ? null : Map(
            ("type", Text(azure.CredentialsType switch
            {
                AzureCredentialsType.SharedKey => "shared_key",
                AzureCredentialsType.ClientSecret => "client_secret",
                _ => "default_credentials",
            })),
            ("clientid", Text(azure.ClientId)),
            ("tenantid", Text(azure.TenantId)),
            ("secret", azure.Secret is null ? null : Text(Mask)))),
        ("rootdirectory", Text(azure.RootDirectory)),
        ("chunksize", Text(azure.ChunkSize.ToString(CultureInfo.InvariantCulture))));

    // A service URL may carry a SAS token in its query, which is a credential.
    private static string WithoutQuery(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? url : url[..query] + "?" + Mask;
    }
}

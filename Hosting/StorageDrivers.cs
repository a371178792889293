using Microsoft.Extensions.Logging;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Storage.S3;

namespace RegistryCloud.Hosting;

/// <summary>
/// The storage driver a configuration's <c>storage</c> section names, built one way for the
/// services (through <see cref="StorageServiceCollectionExtensions.AddRegistryStorage"/>) and for
/// the admin tool's offline verbs alike.
/// </summary>
public static class StorageDrivers
{
    public static IStorageDriver Create(RegistryStorageOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options switch
        {
            { Azure: { } azure } => AzureStorage.CreateDriver(azure),
            { S3: { } s3 } => new S3StorageDriver(S3Options(s3), loggers?.CreateLogger<S3StorageDriver>(), time),
            { Driver: StorageConfiguration.InMemoryDriver } => new InMemoryStorageDriver(),
            _ => new FileSystemStorageDriver(options.RootDirectory, options.DirectIo),
        };
    }

    internal static S3StorageOptions S3Options(S3StorageConfiguration s3) => new()
    {
        Bucket = s3.Bucket,
        Region = s3.Region,
        RegionEndpoint = s3.RegionEndpoint,
        ForcePathStyle = s3.ForcePathStyle,
        AccessKey = s3.AccessKey,
        SecretKey = s3.SecretKey,
        Secure = s3.Secure,
        SkipVerify = s3.SkipVerify,
        Encrypt = s3.Encrypt,
        KeyId = s3.KeyId,
        ChunkSize = checked((int)s3.ChunkSize),
        RootDirectory = s3.RootDirectory,
        StorageClass = s3.StorageClass,
        MultipartCopyChunkSize = s3.MultipartCopyChunkSize,
        MultipartCopyMaxConcurrency = s3.MultipartCopyMaxConcurrency,
        MultipartCopyThresholdSize = s3.MultipartCopyThresholdSize,
        UserAgent = s3.UserAgent,
        ChecksumsWhenRequired = s3.ChecksumsWhenRequired,
    };
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;
using RegistryCloud.Storage.FileSystem;
using RegistryCloud.Storage.S3;

namespace RegistryCloud.Hosting;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the configured storage driver and its options as singletons. With
    /// <paramref name="meterName"/>, every action of the driver is timed on that Meter.
    /// </summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, IConfiguration configuration, string? meterName = null)
    {
        var options = RegistryStorageOptions.From(services.AddRegistryConfiguration(configuration).Storage);
        services.AddSingleton(options);
        IStorageDriver? local = options switch
        {
            { S3: not null } or { Azure: not null } => null,
            { Driver: StorageConfiguration.InMemoryDriver } => new InMemoryStorageDriver(),
            _ => new FileSystemStorageDriver(options.RootDirectory, options.DirectIo),
        };
        Func<IServiceProvider, IStorageDriver> create = provider => local
            ?? (options.Azure is { } azure
                ? AzureStorage.CreateDriver(azure)
                : new S3StorageDriver(S3Options(options.S3!), provider.GetService<ILogger<S3StorageDriver>>(), provider.GetService<TimeProvider>()));
        if (meterName is null)
        {
            services.AddSingleton(create);
        }
        else
        {
            services.AddSingleton<IStorageDriver>(provider =>
                new InstrumentedStorageDriver(create(provider), provider.GetRequiredService<IMeterFactory>(), meterName));
        }

        return services;
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

namespace RegistryCloud.Configuration;

/// <summary>Reads <c>storage.s3</c>; a bad value fails start-up naming its key.</summary>
internal static class S3SectionReader
{
    private const long MaximumChunkSize = 1L << 30;

    public static S3StorageConfiguration Read(ConfigSection s3)
    {
        var defaults = new S3StorageConfiguration { Bucket = "" };
        var endpoint = s3.String("regionendpoint") is { Length: > 0 } given ? given : null;
        if (endpoint is not null && !IsHttpUrl(endpoint))
        {
            throw s3.Error("regionendpoint", $"'{endpoint}' is not an http(s) URL or host[:port]");
        }

        var region = s3.String("region") is { Length: > 0 } named ? named : null;
        if (region is null && endpoint is null)
        {
            throw s3.Error("region", "is required (the AWS region of the bucket) unless regionendpoint names an S3-compatible server");
        }

        var accessKey = s3.String("accesskey") is { Length: > 0 } access ? access : null;
        var secretKey = s3.String("secretkey") is { Length: > 0 } secret ? secret : null;
        if ((accessKey is null) != (secretKey is null))
        {
            throw s3.Error(accessKey is null ? "accesskey" : "secretkey",
                "is required with " + s3.PathOf(accessKey is null ? "secretkey" : "accesskey") + " (give both, or neither to use the AWS SDK's default credentials)");
        }

        if (s3.Bool("v4auth") == false)
        {
            throw s3.Error("v4auth", "false is not supported: S3 and the AWS SDK sign with version 4 only; remove the key");
        }

        var logLevel = s3.OneOf("loglevel", S3StorageConfiguration.LogLevels) ?? defaults.LogLevel;
        if (logLevel != "off")
        {
            s3.NotImplemented("loglevel", "the SDK's request log");
        }

        return new S3StorageConfiguration
        {
            Bucket = s3.RequiredString("bucket"),
            Region = region ?? defaults.Region,
            RegionEndpoint = endpoint,
            ForcePathStyle = s3.Bool("forcepathstyle") ?? defaults.ForcePathStyle,
            AccessKey = accessKey,
            SecretKey = secretKey,
            Secure = s3.Bool("secure") ?? defaults.Secure,
            SkipVerify = s3.Bool("skipverify") ?? defaults.SkipVerify,
            Encrypt = s3.Bool("encrypt") ?? defaults.Encrypt,
            KeyId = s3.String("keyid") is { Length: > 0 } keyId ? keyId : null,
            ChunkSize = Size(s3, "chunksize", S3StorageConfiguration.MinimumChunkSize, MaximumChunkSize) ?? defaults.ChunkSize,
            RootDirectory = s3.String("rootdirectory") ?? defaults.RootDirectory,
            StorageClass = s3.OneOf("storageclass", [.. S3StorageConfiguration.StorageClasses.Select(name => name.ToLowerInvariant())])?.ToUpperInvariant()
                ?? defaults.StorageClass,
            MultipartCopyChunkSize = Size(s3, "multipartcopychunksize", S3StorageConfiguration.MinimumChunkSize, S3StorageConfiguration.MaximumCopyChunkSize)
                ?? defaults.MultipartCopyChunkSize,
            MultipartCopyMaxConcurrency = s3.Int("multipartcopymaxconcurrency", minimum: 1) ?? defaults.MultipartCopyMaxConcurrency,
            MultipartCopyThresholdSize = Size(s3, "multipartcopythresholdsize", 1, S3StorageConfiguration.MaximumCopyChunkSize)
                ?? defaults.MultipartCopyThresholdSize,
            V4Auth = true,
            UserAgent = s3.String("useragent") is { Length: > 0 } userAgent ? userAgent : null,
            LogLevel = logLevel,
            ChecksumsWhenRequired = s3.OneOf("checksums", "whensupported", "whenrequired") == "whenrequired",
        };
    }

    private static long? Size(ConfigSection s3, string key, long minimum, long maximum) => s3.ByteCount(key) switch
    {
        null => null,
        var size when size < minimum => throw s3.Error(key, $"{size} is less than {minimum} bytes, the least S3 allows"),
        var size when size > maximum => throw s3.Error(key, $"{size} is more than {maximum} bytes, the most allowed"),
        var size => size,
    };

    private static bool IsHttpUrl(string endpoint) =>
        Uri.TryCreate(endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.Host.Length > 0;
}

namespace RegistryCloud.Storage.S3;

/// <summary>
/// What the s3 driver needs, with Distribution's defaults (<c>storage.s3</c>). The configuration
/// library reads and checks the keys; this record is the driver's own view of them.
/// </summary>
public sealed record S3StorageOptions
{
    /// <summary>S3's smallest part (every part of a multipart upload but the last).</summary>
    public const int MinimumChunkSize = 5 * 1024 * 1024;

    /// <summary>S3's largest single copy (CopyObject) and largest copied part.</summary>
    public const long MaximumCopySize = 5L * 1024 * 1024 * 1024;

    /// <summary><c>bucket</c>.</summary>
    public required string Bucket { get; init; }

    /// <summary><c>region</c>: the AWS region, or the signing region of an S3-compatible server.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary><c>regionendpoint</c>: an S3-compatible server's URL; null for AWS's endpoint of <see cref="Region"/>.</summary>
    public string? RegionEndpoint { get; init; }

    /// <summary><c>forcepathstyle</c>: <c>endpoint/bucket/key</c> rather than <c>bucket.endpoint/key</c>.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary><c>accesskey</c> and <c>secretkey</c>; when absent, the SDK's default chain (environment, profile, instance role).</summary>
    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    /// <summary><c>secure</c>: HTTPS.</summary>
    public bool Secure { get; init; } = true;

    /// <summary><c>skipverify</c>: accept any TLS certificate from the server (test servers only).</summary>
    public bool SkipVerify { get; init; }

    /// <summary><c>encrypt</c>: server-side encryption, with the KMS key <see cref="KeyId"/> when given, else S3-managed keys.</summary>
    public bool Encrypt { get; init; }

    /// <summary><c>keyid</c>.</summary>
    public string? KeyId { get; init; }

    /// <summary><c>chunksize</c>: the part size of uploads, which bounds a writer's memory.</summary>
    public int ChunkSize { get; init; } = 10 * 1024 * 1024;

    /// <summary><c>rootdirectory</c>: the key prefix every path is stored under.</summary>
    public string RootDirectory { get; init; } = "";

    /// <summary><c>storageclass</c>; <c>NONE</c> sends none (for servers that know no classes).</summary>
    public string StorageClass { get; init; } = "STANDARD";

    /// <summary><c>multipartcopychunksize</c>.</summary>
    public long MultipartCopyChunkSize { get; init; } = 32 * 1024 * 1024;

    /// <summary><c>multipartcopymaxconcurrency</c>.</summary>
    public int MultipartCopyMaxConcurrency { get; init; } = 100;

    /// <summary><c>multipartcopythresholdsize</c>: objects at least this large are moved with a multipart copy.</summary>
    public long MultipartCopyThresholdSize { get; init; } = 32 * 1024 * 1024;

    /// <summary><c>useragent</c>: added to the SDK's user agent.</summary>
    public string? UserAgent { get; init; }

    /// <summary>
    /// <c>checksums</c> (RegistryCloud's own): <c>whensupported</c> (the SDK's default, right for AWS)
    /// sends and checks the SDK's flexible checksums on every request that allows them;
    /// <c>whenrequired</c> only where the operation requires one, for S3-compatible servers that
    /// predate them and refuse the headers.
    /// </summary>
    public bool ChecksumsWhenRequired { get; init; }

    /// <summary>How long a lock's lease lasts unless renewed; a crashed holder's lock frees itself after it.</summary>
    public TimeSpan LockLease { get; init; } = TimeSpan.FromSeconds(30);
}

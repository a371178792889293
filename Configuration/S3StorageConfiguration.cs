namespace RegistryCloud.Configuration;

/// <summary>
/// <c>storage.s3</c>: Distribution's keys, with its defaults. Credentials are optional: without
/// <c>accesskey</c>/<c>secretkey</c> the AWS SDK's default chain (environment, profile, instance
/// or pod role) supplies them.
/// </summary>
public sealed record S3StorageConfiguration
{
    public const long MinimumChunkSize = 5L * 1024 * 1024;
    public const long MaximumCopyChunkSize = 5L * 1024 * 1024 * 1024;

    /// <summary>The values <c>storageclass</c> takes (Distribution's list); <c>NONE</c> sends no class.</summary>
    public static readonly string[] StorageClasses =
        ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "OUTPOSTS", "GLACIER_IR", "NONE"];

    /// <summary>The values <c>loglevel</c> takes (the AWS SDK for Go's, which Distribution passes on).</summary>
    public static readonly string[] LogLevels =
        ["off", "debug", "debugwithsigning", "debugwithhttpbody", "debugwithrequestretries", "debugwithrequesterrors", "debugwitheventstreambody"];

    public required string Bucket { get; init; }

    /// <summary><c>region</c>; required without <c>regionendpoint</c>, <c>us-east-1</c> by default with one.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary><c>regionendpoint</c>: the URL of an S3-compatible server.</summary>
    public string? RegionEndpoint { get; init; }

    public bool ForcePathStyle { get; init; }

    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    public bool Secure { get; init; } = true;

    public bool SkipVerify { get; init; }

    public bool Encrypt { get; init; }

    public string? KeyId { get; init; }

    /// <summary><c>chunksize</c>: at least 5 MiB, S3's smallest part.</summary>
    public long ChunkSize { get; init; } = 10L * 1024 * 1024;

    public string RootDirectory { get; init; } = "";

    public string StorageClass { get; init; } = "STANDARD";

    public long MultipartCopyChunkSize { get; init; } = 32L * 1024 * 1024;

    public int MultipartCopyMaxConcurrency { get; init; } = 100;

    public long MultipartCopyThresholdSize { get; init; } = 32L * 1024 * 1024;

    /// <summary><c>v4auth</c>: only <c>true</c> (signature version 2 is gone from S3 and from the SDK).</summary>
    public bool V4Auth { get; init; } = true;

    public string? UserAgent { get; init; }

    /// <summary><c>loglevel</c>: read and checked; the SDK's request log is not wired (the services' traces show S3 calls).</summary>
    public string LogLevel { get; init; } = "off";

    /// <summary>
    /// <c>checksums</c> (RegistryCloud's own): <c>whensupported</c>, the SDK's default and right for
    /// AWS, sends and checks flexible checksums (CRC32 and others) wherever an operation allows them;
    /// <c>whenrequired</c> only where one is required, for S3-compatible servers that predate them
    /// and refuse or mis-store the headers.
    /// </summary>
    public bool ChecksumsWhenRequired { get; init; }
}

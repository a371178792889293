namespace RegistryCloud.Configuration;

/// <summary><c>health</c>: periodic checks reported by the health endpoints.</summary>
public sealed record HealthConfiguration
{
    /// <summary><c>health.storagedriver</c>.</summary>
    public StorageDriverHealthCheck StorageDriver { get; init; } = new();

    /// <summary><c>health.file</c>: unhealthy while the file exists.</summary>
    public IReadOnlyList<FileHealthCheck> File { get; init; } = [];

    /// <summary><c>health.http</c>: HEAD requests that must answer the expected status.</summary>
    public IReadOnlyList<HttpHealthCheck> Http { get; init; } = [];

    /// <summary><c>health.tcp</c>: addresses that must accept a connection.</summary>
    public IReadOnlyList<TcpHealthCheck> Tcp { get; init; } = [];
}

/// <summary>
/// Settings every check shares. A threshold of 0 (the default), like 1, turns the check
/// unhealthy on its first failure.
/// </summary>
public abstract record HealthCheckSchedule
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    public TimeSpan Interval { get; init; } = DefaultInterval;

    public int Threshold { get; init; }
}

/// <summary><c>health.storagedriver</c>.</summary>
public sealed record StorageDriverHealthCheck : HealthCheckSchedule
{
    public bool Enabled { get; init; }
}

/// <summary>An entry of <c>health.file</c>.</summary>
public sealed record FileHealthCheck : HealthCheckSchedule
{
    public required string File { get; init; }
}

/// <summary>An entry of <c>health.http</c>.</summary>
public sealed record HttpHealthCheck : HealthCheckSchedule
{
    public required string Uri { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public int StatusCode { get; init; } = 200;

    public TimeSpan? Timeout { get; init; }
}

/// <summary>An entry of <c>health.tcp</c>.</summary>
public sealed record TcpHealthCheck : HealthCheckSchedule
{
    public required string Addr { get; init; }

    public TimeSpan? Timeout { get; init; }
}

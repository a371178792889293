namespace RegistryCloud.Configuration;

/// <summary>Reads <c>health</c>: the storage driver check and the file, http and tcp checks.</summary>
internal static class HealthSectionReader
{
    public static HealthConfiguration Read(ConfigSection root)
    {
        var health = root.Section("health");
        var storageDriver = health.Section("storagedriver");
        return new HealthConfiguration
        {
            StorageDriver = new StorageDriverHealthCheck
            {
                Enabled = storageDriver.Bool("enabled") ?? false,
                Interval = Interval(storageDriver),
                Threshold = storageDriver.Int("threshold") ?? 0,
            },
            File = [.. health.SectionList("file").Select(check => new FileHealthCheck
            {
                File = check.RequiredString("file"),
                Interval = Interval(check),
                Threshold = check.Int("threshold") ?? 0,
            })],
            Http = [.. health.SectionList("http").Select(check => new HttpHealthCheck
            {
                Uri = check.HttpUrl("uri") ?? throw check.Error("uri", "is required"),
                Headers = check.Headers("headers"),
                StatusCode = check.Int("statuscode", minimum: 100, maximum: 599) ?? 200,
                Timeout = check.Duration("timeout"),
                Interval = Interval(check),
                Threshold = check.Int("threshold") ?? 0,
            })],
            Tcp = [.. health.SectionList("tcp").Select(check => new TcpHealthCheck
            {
                Addr = check.Address("addr") ?? throw check.Error("addr", "is required"),
                Timeout = check.Duration("timeout"),
                Interval = Interval(check),
                Threshold = check.Int("threshold") ?? 0,
            })],
        };
    }

    // Distribution falls back to 10s for a missing or zero interval.
    private static TimeSpan Interval(ConfigSection check) =>
        check.Duration("interval") is { } interval && interval > TimeSpan.Zero ? interval : HealthCheckSchedule.DefaultInterval;
}

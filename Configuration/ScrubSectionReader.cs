namespace RegistryCloud.Configuration;

/// <summary>Reads <c>scrub</c>: <c>enabled</c>, <c>interval</c>, <c>ratelimit</c> (bytes per second).</summary>
internal static class ScrubSectionReader
{
    public static ScrubConfiguration Read(ConfigSection root)
    {
        var section = root.Section("scrub");
        var interval = section.Duration("interval") ?? ScrubConfiguration.DefaultInterval;
        if (interval < TimeSpan.FromSeconds(1))
        {
            throw section.Error("interval", "must be at least 1s");
        }

        return new ScrubConfiguration
        {
            Enabled = section.Bool("enabled") ?? false,
            Interval = interval,
            RateLimit = section.ByteCount("ratelimit") ?? ScrubConfiguration.DefaultRateLimit,
        };
    }
}

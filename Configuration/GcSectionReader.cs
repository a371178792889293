namespace RegistryCloud.Configuration;

/// <summary>Reads <c>gc</c>: <c>enabled</c>, <c>interval</c>, <c>delay</c>, <c>deleteuntagged</c>, <c>dryrun</c>, <c>dutycycle</c>.</summary>
internal static class GcSectionReader
{
    public static GcConfiguration Read(ConfigSection root)
    {
        var section = root.Section("gc");
        var interval = section.Duration("interval") ?? GcConfiguration.DefaultInterval;
        if (interval < TimeSpan.FromSeconds(1))
        {
            throw section.Error("interval", "must be at least 1s");
        }

        // Durations are never negative (the reader refuses them, naming the key).
        var delay = section.Duration("delay") ?? GcConfiguration.DefaultDelay;
        return new GcConfiguration
        {
            Enabled = section.Bool("enabled") ?? false,
            Interval = interval,
            Delay = delay,
            DeleteUntagged = section.Bool("deleteuntagged") ?? false,
            DryRun = section.Bool("dryrun") ?? false,
            DutyCycle = section.Int("dutycycle", minimum: 1, maximum: 100) ?? GcConfiguration.DefaultDutyCycle,
        };
    }
}

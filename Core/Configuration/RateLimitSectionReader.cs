namespace RegistryCloud.Core.Configuration;

/// <summary>Reads <c>ratelimit</c>: <c>perclient</c> and <c>peruser</c>, each requests per period with a burst.</summary>
internal static class RateLimitSectionReader
{
    public static RateLimitConfiguration Read(ConfigSection root)
    {
        var section = root.Section("ratelimit");
        return new RateLimitConfiguration { PerClient = ReadRule(section, "perclient"), PerUser = ReadRule(section, "peruser") };
    }

    private static RateLimitRule? ReadRule(ConfigSection parent, string key)
    {
        if (!parent.Has(key))
        {
            return null;
        }

        var rule = parent.Section(key);
        var requests = rule.Int("requests", minimum: 1) ?? throw rule.Error("requests", "is required: how many requests each period allows");
        var period = rule.Duration("period") ?? TimeSpan.FromSeconds(1);
        if (period < TimeSpan.FromMilliseconds(1))
        {
            throw rule.Error("period", "must be at least 1ms");
        }

        var burst = rule.Int("burst", minimum: 1) ?? requests;
        return new RateLimitRule(requests, period, burst);
    }
}

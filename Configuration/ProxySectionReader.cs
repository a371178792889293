namespace RegistryCloud.Configuration;

/// <summary>Reads <c>proxy</c>, which loads so that Distribution configurations do, with a warning.</summary>
internal static class ProxySectionReader
{
    public static ProxyConfiguration? Read(ConfigSection root, ConfigContext context)
    {
        var proxy = root.Section("proxy");
        if (!proxy.Keys.Any())
        {
            return null;
        }

        context.Warn("proxy: the pull-through cache is known to Distribution but not implemented by RegistryCloud; this registry serves only what is pushed to it");
        var exec = proxy.Section("exec");
        var defaults = new ProxyConfiguration { RemoteUrl = string.Empty };
        return new ProxyConfiguration
        {
            RemoteUrl = proxy.RequiredHttpUrl("remoteurl"),
            Username = proxy.String("username"),
            Password = proxy.String("password"),
            Ttl = proxy.Duration("ttl") ?? defaults.Ttl,
            ExecCommand = exec.String("command"),
            ExecLifetime = exec.Duration("lifetime"),
            CacheWriteTimeout = proxy.Duration("cachewritetimeout"),
        };
    }
}

namespace RegistryCloud.Configuration;

/// <summary>
/// Reads <c>redis</c> in Distribution 2.8's form (<c>addr</c>, <c>pool</c>) or 3.x's go-redis
/// form (<c>addrs</c>, <c>maxidleconns</c>, <c>poolsize</c>, <c>connmaxidletime</c>); mixing the
/// two spellings of one setting is an error.
/// </summary>
internal static class RedisSectionReader
{
    // go-redis UniversalOptions that Distribution 3.x passes through and RegistryCloud does not use.
    private static readonly string[] UnusedClientOptions =
    [
        "clientname", "protocol", "sentinelusername", "sentinelpassword", "maxretries", "minretrybackoff",
        "maxretrybackoff", "contexttimeoutenabled", "poolfifo", "pooltimeout", "minidleconns", "maxactiveconns",
        "connmaxlifetime", "maxredirects", "readonly", "routebylatency", "routerandomly", "mastername",
        "disableidentity", "identitysuffix", "unstableresp3",
    ];

    public static RedisConfiguration? Read(ConfigSection root)
    {
        var redis = root.Section("redis");
        if (!redis.Keys.Any())
        {
            return null;
        }

        foreach (var option in UnusedClientOptions)
        {
            redis.NotImplemented(option, $"the go-redis option {option}");
        }

        var pool = redis.Section("pool");
        var tls = redis.Section("tls");
        var rootCas = tls.StringList("rootcas").Concat(tls.StringList("clientcas")).ToList();
        var certificate = tls.String("certificate");
        var key = tls.String("key");
        return new RedisConfiguration
        {
            Addrs = ReadAddresses(redis),
            Username = redis.String("username"),
            Password = redis.String("password"),
            Db = redis.Int("db") ?? 0,
            DialTimeout = redis.Duration("dialtimeout"),
            ReadTimeout = redis.Duration("readtimeout"),
            WriteTimeout = redis.Duration("writetimeout"),
            MaxIdleConns = Either(redis, "maxidleconns", pool, "maxidle", static (s, k) => s.Int(k)),
            PoolSize = Either(redis, "poolsize", pool, "maxactive", static (s, k) => s.Int(k)),
            ConnMaxIdleTime = Either(redis, "connmaxidletime", pool, "idletimeout", static (s, k) => s.Duration(k)),
            Tls = new RedisTlsConfiguration
            {
                Enabled = tls.Bool("enabled") ?? (certificate is not null || key is not null || rootCas.Count > 0),
                Certificate = certificate,
                Key = key,
                RootCas = rootCas,
            },
        };
    }

    private static List<string> ReadAddresses(ConfigSection redis)
    {
        var addr = redis.Address("addr");
        var addrs = redis.Addresses("addrs");
        if (addr is not null && addrs.Count > 0)
        {
            throw redis.Error("addrs", "conflicts with redis.addr; set one of them");
        }

        return addr is not null ? [addr]
            : addrs.Count > 0 ? [.. addrs]
            : throw redis.Error("addr", "is required when a redis section is given (or set redis.addrs)");
    }

    // The 3.x key and its 2.8 spelling under redis.pool are one setting.
    private static T? Either<T>(ConfigSection redis, string key, ConfigSection pool, string poolKey, Func<ConfigSection, string, T?> read)
        where T : struct
    {
        var current = read(redis, key);
        var legacy = read(pool, poolKey);
        return current.HasValue && legacy.HasValue
            ? throw redis.Error(key, $"conflicts with {pool.PathOf(poolKey)}; set one of them")
            : current ?? legacy;
    }
}

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
        "clientname", "protocol", "maxretries", "minretrybackoff", "maxretrybackoff", "contexttimeoutenabled",
        "maxredirects", "readonly", "routebylatency", "routerandomly", "disableidentity", "identitysuffix", "unstableresp3",
    ];

    // Connection-pool settings, in both forms (the last five are go-redis options only 3.x passes through).
    private static readonly string[] PoolOptions =
        ["maxidleconns", "poolsize", "connmaxidletime", "poolfifo", "pooltimeout", "minidleconns", "maxactiveconns", "connmaxlifetime"];

    private static readonly string[] LegacyPoolOptions = ["maxidle", "maxactive", "idletimeout"];

    /// <summary>Why the pool settings are accepted and ignored; the start-up warning says it.</summary>
    public const string PoolNotApplied =
        "RegistryCloud's Redis client (StackExchange.Redis) multiplexes every command of a service over one " +
        "connection per server, so there is no connection pool to size; the value is accepted and ignored";

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
        if (key is not null && certificate is null)
        {
            throw tls.Error("key", "needs redis.tls.certificate (the client certificate the key belongs to)");
        }

        if (certificate is not null && key is null)
        {
            throw tls.Error("certificate", "needs redis.tls.key (the client certificate's private key)");
        }

        var username = redis.String("username");
        var password = redis.String("password");
        var masterName = redis.String("mastername");
        CheckSentinelCredentials(redis, masterName, username, password);
        var configuration = new RedisConfiguration
        {
            Addrs = ReadAddresses(redis),
            Username = username,
            Password = password,
            MasterName = masterName is { Length: > 0 } ? masterName : null,
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
        WarnPoolNotApplied(redis, pool);
        return configuration;
    }

    private static void WarnPoolNotApplied(ConfigSection redis, ConfigSection pool)
    {
        foreach (var option in PoolOptions.Where(redis.Has))
        {
            redis.NotApplied(option, PoolNotApplied);
        }

        foreach (var option in LegacyPoolOptions.Where(pool.Has))
        {
            pool.NotApplied(option, PoolNotApplied);
        }
    }

    // StackExchange.Redis authenticates to the sentinels with the same username and password as to
    // the primary: separate sentinel credentials cannot be honoured, so they must match or be absent.
    private static void CheckSentinelCredentials(ConfigSection redis, string? masterName, string? username, string? password)
    {
        foreach (var (key, same, sameKey) in new[] { ("sentinelusername", username, "username"), ("sentinelpassword", password, "password") })
        {
            var value = redis.String(key);
            if (value is null)
            {
                continue;
            }

            if (masterName is null)
            {
                redis.NotApplied(key, "it applies only with redis.mastername (sentinel)");
            }
            else if (value != same)
            {
                throw redis.Error(key, $"differs from redis.{sameKey}: RegistryCloud's Redis client authenticates to the sentinels " +
                    $"with redis.username and redis.password; give the sentinels the same credentials, or leave redis.{key} unset");
            }
        }
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

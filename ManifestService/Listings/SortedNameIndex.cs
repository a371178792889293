using StackExchange.Redis;

namespace RegistryCloud.ManifestService.Listings;

/// <summary>
/// One listing (a repository's tags, or the catalog) as a Redis sorted set of names, all with score
/// 0, so <c>ZRANGEBYLEX</c> reads a page in byte order (ordinal order: names are ASCII) at a cost
/// in proportion to the page. Every key of one index shares a hash tag, so the scripts below run
/// on one node of a cluster too.
/// <para>
/// The set is trusted only when its <c>state</c> holds the storage stamp it was built for
/// (<see cref="Storage.ListingStamps"/>). A writer changes the storage first and then, with
/// <see cref="ApplyAsync"/>, sets the name's membership from a storage read made after it bumped
/// the name's version; the set takes the read only when no writer of that name bumped it since,
/// so the last write to land was read after every storage change (a late, stale read is refused
/// and read again). A rebuild walks the storage into a set of its own under a lease; writes landing
/// meanwhile are logged, rechecked against the storage, and the new set replaces the old only in
/// the script that sees no unchecked log entry (see <see cref="TrySwapAsync"/>).
/// </para>
/// </summary>
internal sealed class SortedNameIndex(IDatabase database, string name)
{
    private const string ReadScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
        return redis.call('ZRANGEBYLEX', KEYS[2], ARGV[2], '+', 'LIMIT', 0, tonumber(ARGV[3]))
        """;

    private const string ApplyScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
        if ARGV[3] == '1' then redis.call('ZADD', KEYS[2], 0, ARGV[1]) else redis.call('ZREM', KEYS[2], ARGV[1]) end
        if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('RPUSH', KEYS[4], ARGV[1]) end
        return 1
        """;

    private const string LeaseScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('LLEN', KEYS[2]) end
        return -1
        """;

    private const string AddScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        for i = 3, #ARGV do redis.call('ZADD', KEYS[2], 0, ARGV[i]) end
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        return 1
        """;

    private const string SwapScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then redis.call('DEL', KEYS[3]) return -1 end
        local n = redis.call('LLEN', KEYS[2])
        if n ~= tonumber(ARGV[2]) then return n end
        if redis.call('EXISTS', KEYS[3]) == 1 then
            redis.call('PERSIST', KEYS[3])
            redis.call('RENAME', KEYS[3], KEYS[4])
        else
            redis.call('DEL', KEYS[4])
        end
        redis.call('SET', KEYS[5], ARGV[3])
        redis.call('DEL', KEYS[2], KEYS[1])
        return -2
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
        redis.call('DEL', KEYS[2])
        return 1
        """;

    private readonly RedisKey _set = Key(name, "set");
    private readonly RedisKey _state = Key(name, "state");
    private readonly RedisKey _versions = Key(name, "versions");
    private readonly RedisKey _building = Key(name, "building");
    private readonly RedisKey _log = Key(name, "log");

    /// <summary>Up to <paramref name="count"/> names after <paramref name="after"/>; null when the set is not built for <paramref name="stamp"/>.</summary>
    public async Task<string[]?> ReadAsync(string stamp, string? after, int count)
    {
        var result = await database.ScriptEvaluateAsync(
            ReadScript, [_state, _set], [State(stamp), after is null ? "-" : "(" + after, count]);
        if (result.IsNull)
        {
            return null;
        }

        var values = (RedisValue[])result!;
        var names = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            names[i] = values[i]!;
        }

        return names;
    }

    /// <summary>Bumps a name's version: the first step of a write, after the storage changed.</summary>
    public async Task<long> BeginWriteAsync(string member) => await database.HashIncrementAsync(_versions, member);

    /// <summary>The name's current version, to read the storage again after a refused <see cref="ApplyAsync"/>.</summary>
    public async Task<long> VersionAsync(string member) => (long?)await database.HashGetAsync(_versions, member) ?? 0;

    /// <summary>
    /// Sets the name's membership to what the storage said after <paramref name="version"/> was
    /// taken; false (nothing changed) when another writer of the name bumped it since.
    /// </summary>
    public async Task<bool> ApplyAsync(string member, long version, bool present) =>
        (int)await database.ScriptEvaluateAsync(ApplyScript, [_versions, _set, _building, _log], [member, version, present ? "1" : "0"]) == 1;

    /// <summary>Takes the rebuild lease; the log's length then (entries before it are older than the walk), or null when another rebuild holds it.</summary>
    public async Task<long?> TryLeaseAsync(string token, TimeSpan lease)
    {
        var seen = (long)await database.ScriptEvaluateAsync(LeaseScript, [_building, _log], [token, (long)lease.TotalMilliseconds]);
        return seen < 0 ? null : seen;
    }

    /// <summary>Adds walked names to the rebuild's own set and renews the lease; false when the lease was lost.</summary>
    public async Task<bool> AddToBuildAsync(string token, IReadOnlyList<string> names, TimeSpan lease)
    {
        var arguments = new RedisValue[names.Count + 2];
        arguments[0] = token;
        arguments[1] = (long)lease.TotalMilliseconds;
        for (var i = 0; i < names.Count; i++)
        {
            arguments[i + 2] = names[i];
        }

        return (int)await database.ScriptEvaluateAsync(AddScript, [_building, Temporary(token)], arguments) == 1;
    }

    /// <summary>Sets a logged name's membership in the rebuild's own set, from a storage read made after it was logged.</summary>
    public Task SetInBuildAsync(string token, string member, bool present) =>
        present
            ? database.SortedSetAddAsync(Temporary(token), member, 0)
            : database.SortedSetRemoveAsync(Temporary(token), member);

    /// <summary>The names logged from <paramref name="from"/> on, to recheck.</summary>
    public async Task<string[]> LoggedAsync(long from)
    {
        var values = await database.ListRangeAsync(_log, from, -1);
        return [.. values.Select(value => (string)value!)];
    }

    /// <summary>
    /// Replaces the set with the rebuild's and marks it built for <paramref name="stamp"/>, when the
    /// log still has <paramref name="seen"/> entries (every write since the walk began is checked).
    /// The log's new length when it grew, -1 when the lease was lost, -2 when swapped.
    /// </summary>
    public async Task<long> TrySwapAsync(string token, long seen, string stamp) =>
        (long)await database.ScriptEvaluateAsync(SwapScript, [_building, _log, Temporary(token), _set, _state], [token, seen, State(stamp)]);

    /// <summary>Gives up a rebuild: its lease (if still held) and its set.</summary>
    public Task ReleaseAsync(string token) =>
        database.ScriptEvaluateAsync(ReleaseScript, [_building, Temporary(token)], [token]);

    /// <summary>Makes the set untrusted until the next rebuild.</summary>
    public Task InvalidateAsync() => database.KeyDeleteAsync(_state);

    private RedisKey Temporary(string token) => Key(name, "build:" + token);

    /// <summary>"s:" keeps an empty stamp (none written yet) apart from a missing state.</summary>
    private static string State(string stamp) => "s:" + stamp;

    private static RedisKey Key(string index, string part) => $"registry:listings:{{{index}}}:{part}";
}

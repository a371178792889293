using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Oci;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Gc;

/// <summary>
/// The coordinator every replica shares through Redis: records in one sorted set (member
/// <c>repository@digest</c> and <c>@digest</c>, score the time in Unix milliseconds) and each job's
/// run lease as a key set with NX and an expiry, renewed while the run lasts and released by its token.
/// </summary>
internal sealed class RedisGcCoordinator(IConnectionMultiplexer redis, TimeProvider time) : IGcCoordinator
{
    public const string UsesKey = "registry:gc:uses";
    /// <summary>The lease key of a job: <c>registry:gc:lease</c>, <c>registry:scrub:lease</c>.</summary>
    public static string LeaseKey(string job) => $"registry:{job}:lease";

    /// <summary>How long a lease lives without renewal; renewed every third of it.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(60);

    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    public async Task RecordUseAsync(string repository, IEnumerable<Digest> digests, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var entries = new List<SortedSetEntry>();
        foreach (var digest in digests)
        {
            entries.Add(new SortedSetEntry(GcRecordKeys.Of(repository, digest), now));
            entries.Add(new SortedSetEntry(GcRecordKeys.Of(null, digest), now));
        }

        if (entries.Count > 0)
        {
            await redis.GetDatabase().SortedSetAddAsync(UsesKey, [.. entries]);
        }
    }

    public async Task<bool> WasUsedSinceAsync(string? repository, Digest digest, DateTimeOffset since, CancellationToken cancellationToken) =>
        await redis.GetDatabase().SortedSetScoreAsync(UsesKey, GcRecordKeys.Of(repository, digest)) is { } at
        && at >= since.ToUnixTimeMilliseconds();

    public Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        redis.GetDatabase().SortedSetRemoveRangeByScoreAsync(UsesKey, double.NegativeInfinity, before.ToUnixTimeMilliseconds(), Exclude.Stop);

    public async Task<GcLease?> TryAcquireRunAsync(string job, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var database = redis.GetDatabase();
        var key = LeaseKey(job);
        return await database.StringSetAsync(key, token, LeaseTime, When.NotExists)
            ? new Lease(database, key, token, time)
            : null;
    }

    private sealed class Lease : GcLease
    {
        private readonly IDatabase _database;
        private readonly string _key;
        private readonly string _token;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;

        public Lease(IDatabase database, string key, string token, TimeProvider time)
        {
            _database = database;
            _key = key;
            _token = token;
            _renewal = RenewAsync(time);
        }

        public override CancellationToken Lost => _lost.Token;

        public override async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                await _database.ScriptEvaluateAsync(ReleaseScript, [_key], [_token]);
            }
            catch (RedisException)
            {
                // Unreleased, the lease expires on its own.
            }

            _stop.Dispose();
            _lost.Dispose();
        }

        private async Task RenewAsync(TimeProvider time)
        {
            using var timer = new PeriodicTimer(LeaseTime / 3, time);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var renewed = await _database.ScriptEvaluateAsync(RenewScript, [_key], [_token, (long)LeaseTime.TotalMilliseconds]);
                    if ((long)renewed != 1)
                    {
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RedisException)
            {
                await _lost.CancelAsync();
            }
        }
    }
}

using System.Collections.Concurrent;
using RegistryCloud.Events.Redis;
using RegistryCloud.Lifecycle.Gc;
using RegistryCloud.Oci;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Gc;

/// <summary>
/// The coordinator every replica shares through Redis: records in one sorted set (member
/// <c>repository@digest</c> and <c>@digest</c>, score the time in Unix milliseconds) and each job's
/// run lease as a key set with NX and an expiry, renewed while the run lasts and released by its token.
/// Redis not answering (down: at once; paused: after the client's timeout) is
/// <see cref="GcCoordinatorUnavailableException"/>, never the client's own exceptions, whose
/// timeouts are not <see cref="RedisException"/>s.
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

    // Takes the lease when it is free or holds the token of one of this replica's attempts that got no answer.
    private const string TakeScript = """
        local current = redis.call('get', KEYS[1])
        local mine = not current
        for i = 3, #ARGV do
          if current == ARGV[i] then mine = true end
        end
        if not mine then return 0 end
        redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    /// <summary>
    /// Per job, the tokens of attempts to take the lease that got no answer. A paused Redis runs such
    /// an attempt when it resumes, leaving a lease nobody holds until it expires; this replica's next
    /// attempt takes it back at once instead of every replica waiting out <see cref="LeaseTime"/>.
    /// </summary>
    private readonly ConcurrentDictionary<string, string[]> _unanswered = new(StringComparer.Ordinal);

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
            await CallAsync("record a use", database => database.SortedSetAddAsync(UsesKey, [.. entries]));
        }
    }

    public async Task<bool> WasUsedSinceAsync(string? repository, Digest digest, DateTimeOffset since, CancellationToken cancellationToken) =>
        await CallAsync("read a use", database => database.SortedSetScoreAsync(UsesKey, GcRecordKeys.Of(repository, digest))) is { } at
        && at >= since.ToUnixTimeMilliseconds();

    public Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        CallAsync("prune uses", database => database.SortedSetRemoveRangeByScoreAsync(UsesKey, double.NegativeInfinity, before.ToUnixTimeMilliseconds(), Exclude.Stop));

    public async Task<GcLease?> TryAcquireRunAsync(string job, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var key = LeaseKey(job);
        var unanswered = _unanswered.GetValueOrDefault(job, []);
        bool taken;
        try
        {
            taken = unanswered.Length == 0
                ? await CallAsync("take the run lease", database => database.StringSetAsync(key, token, LeaseTime, When.NotExists))
                : (long)await CallAsync("take the run lease", database => database.ScriptEvaluateAsync(
                    TakeScript, [key], [token, (long)LeaseTime.TotalMilliseconds, .. unanswered.Select(previous => (RedisValue)previous)])) == 1;
        }
        catch (GcCoordinatorUnavailableException)
        {
            // A handful is plenty: each attempt is a run interval apart, and older ones have expired.
            _unanswered[job] = [token, .. unanswered.Take(7)];
            throw;
        }

        _unanswered.TryRemove(job, out _);
        return taken ? new Lease(redis.GetDatabase(), key, token, time) : null;
    }

    /// <summary>
    /// One command, failing at once while the connection is down (rather than after a wait in the
    /// client's backlog) and as <see cref="GcCoordinatorUnavailableException"/> however it fails.
    /// </summary>
    private async Task<T> CallAsync<T>(string what, Func<IDatabase, Task<T>> command)
    {
        if (!redis.IsConnected)
        {
            throw new GcCoordinatorUnavailableException($"Redis is not connected: cannot {what}");
        }

        try
        {
            return await command(redis.GetDatabase());
        }
        catch (Exception e) when (RedisFailure.IsUnavailable(e))
        {
            throw new GcCoordinatorUnavailableException($"Redis did not answer: cannot {what} ({e.Message})", e);
        }
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
            catch (Exception e) when (RedisFailure.IsUnavailable(e))
            {
                // Unreleased, the lease expires on its own.
            }

            _stop.Dispose();
            _lost.Dispose();
        }

        /// <summary>A renewal that fails or times out loses the lease: another replica may take it once it expires.</summary>
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
            catch (Exception e) when (RedisFailure.IsUnavailable(e))
            {
                await _lost.CancelAsync();
            }
        }
    }
}

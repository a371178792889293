using RegistryCloud.Events;
using StackExchange.Redis;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// Which replica delivers to an endpoint: a Redis key holding the consumer's name with an
/// expiry, renewed while the replica lives. Delivery order needs a single sender per endpoint,
/// so replicas share the work endpoint by endpoint; a replica that dies loses its leases when
/// they expire, and the next holder claims what it left pending.
/// </summary>
internal sealed class EndpointLease(IConnectionMultiplexer redis, EventStreamKeys keys, string consumer)
{
    private static readonly LuaScript Renew = LuaScript.Prepare("""
        if redis.call('GET', @key) == @owner then
          return redis.call('PEXPIRE', @key, @milliseconds)
        end
        return 0
        """);

    private static readonly LuaScript Release = LuaScript.Prepare("""
        if redis.call('GET', @key) == @owner then
          return redis.call('DEL', @key)
        end
        return 0
        """);

    public Task<bool> TryAcquireAsync(string endpoint, TimeSpan leaseTime) =>
        redis.GetDatabase().StringSetAsync(keys.Lease(endpoint), consumer, leaseTime, When.NotExists);

    /// <summary>False when the lease has expired or another replica holds it now.</summary>
    public async Task<bool> RenewAsync(string endpoint, TimeSpan leaseTime)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Renew, new
        {
            key = (RedisKey)keys.Lease(endpoint),
            owner = consumer,
            milliseconds = (long)leaseTime.TotalMilliseconds,
        });
        return (long)result == 1;
    }

    public Task ReleaseAsync(string endpoint) =>
        redis.GetDatabase().ScriptEvaluateAsync(Release, new { key = (RedisKey)keys.Lease(endpoint), owner = consumer });

    public async Task<string?> OwnerAsync(string endpoint)
    {
        var owner = await redis.GetDatabase().StringGetAsync(keys.Lease(endpoint));
        return owner.IsNull ? null : owner.ToString();
    }
}

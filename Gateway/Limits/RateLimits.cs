using System.Globalization;
using System.Threading.RateLimiting;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Authentication;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Limits;

/// <summary>
/// <c>ratelimit</c>: a token bucket per client address (before authentication, so floods of bad
/// credentials count too; behind <c>ratelimit.trustedproxies</c>, the address they forwarded for)
/// and per authenticated user (after it). A refused request gets 429
/// <c>TOOMANYREQUESTS</c> with <c>Retry-After</c>. Only admission is limited: a request holds no
/// lease while its body streams, so a long blob upload or download is never cut off.
/// </summary>
internal sealed partial class RateLimits(RateLimitConfiguration options, ILogger<RateLimits> logger) : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _perClient = Create(options.PerClient);
    private readonly PartitionedRateLimiter<string>? _perUser = Create(options.PerUser);
    private readonly ClientAddress _clients = new(options.TrustedProxies);

    public bool Enabled => options.Enabled;

    /// <summary>
    /// Limits each client address (<see cref="ClientAddress"/>: behind a trusted proxy, the one it
    /// forwarded for); paths outside the registry API and token endpoint pass.
    /// </summary>
    public IApplicationBuilder UsePerClient(IApplicationBuilder app) =>
        _perClient is null ? app : app.Use((context, next) =>
            Limited(context) ? LimitAsync(_perClient, "client", _clients.Of(context)?.ToString() ?? "unknown", options.PerClient!, context, next) : next(context));

    /// <summary>Limits each authenticated user; anonymous requests are left to the per-client limit.</summary>
    public IApplicationBuilder UsePerUser(IApplicationBuilder app) =>
        _perUser is null ? app : app.Use((context, next) =>
            Limited(context) && context.User.Identity?.Name is { Length: > 0 } user
                ? LimitAsync(_perUser, "user", user, options.PerUser!, context, next)
                : next(context));

    public void Dispose()
    {
        _perClient?.Dispose();
        _perUser?.Dispose();
    }

    private static bool Limited(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal)
        || context.Request.Path.StartsWithSegments(BearerAuthenticator.TokenServicePath, StringComparison.Ordinal);

    private async Task LimitAsync(PartitionedRateLimiter<string> limiter, string scope, string key, RateLimitRule rule, HttpContext context, RequestDelegate next)
    {
        using (var lease = limiter.AttemptAcquire(key))
        {
            if (!lease.IsAcquired)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : rule.Period;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                LogLimited(logger, scope, key, seconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await OciErrorResult.WriteAsync(context.Response, OciErrorCode.TooManyRequests, $"rate limit per {scope} exceeded; retry after {seconds}s");
                return;
            }
        }

        // The lease is released before the request runs: a token bucket has nothing to give back,
        // and holding nothing across the body keeps slow transfers out of the limiter's reach.
        await next(context);
    }

    private static PartitionedRateLimiter<string>? Create(RateLimitRule? rule) =>
        rule is null ? null : PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = rule.Burst,
            TokensPerPeriod = rule.Requests,
            ReplenishmentPeriod = rule.Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit per {Scope} exceeded for {Key}; Retry-After {Seconds}s")]
    private static partial void LogLimited(ILogger logger, string scope, string key, int seconds);
}

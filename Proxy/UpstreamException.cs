using RegistryCloud.Oci;

namespace RegistryCloud.Proxy;

/// <summary>Why an upstream could not answer what was asked.</summary>
public enum UpstreamFailure
{
    /// <summary>Unreachable, timed out, or answered 5xx.</summary>
    Unavailable,

    /// <summary>Answered 429: the client is told when to come back.</summary>
    TooManyRequests,

    /// <summary>Refused the registry's credentials (or anonymous access) after the auth flow.</summary>
    Denied,

    /// <summary>Answered something unusable: over a limit, malformed, or bytes that do not match their digest.</summary>
    Invalid,
}

/// <summary>An upstream registry's failure, with the OCI error it becomes at the edge.</summary>
public sealed class UpstreamException(UpstreamFailure failure, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public UpstreamFailure Failure => failure;

    /// <summary>The upstream's <c>Retry-After</c> for <see cref="UpstreamFailure.TooManyRequests"/>.</summary>
    public TimeSpan? RetryAfter => retryAfter;

    /// <summary>
    /// The code a client gets: 429 passes on; anything else is the cache being unable to serve
    /// (503), so a client retries later rather than believing the content does not exist.
    /// </summary>
    public OciErrorCode ErrorCode => failure switch
    {
        UpstreamFailure.TooManyRequests => OciErrorCode.TooManyRequests,
        UpstreamFailure.Denied => OciErrorCode.Denied,
        _ => OciErrorCode.Unavailable,
    };
}

/// <summary>Answers a request the cache could not serve: the OCI error, and the upstream's <c>Retry-After</c> on a 429.</summary>
public static class UpstreamErrorResults
{
    public static Microsoft.AspNetCore.Http.IResult For(Microsoft.AspNetCore.Http.HttpContext context, UpstreamException exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Hosting.OciResults.Error(exception.ErrorCode, exception.Message);
    }
}

using System.Net;
using Microsoft.AspNetCore.Http;

namespace RegistryCloud.Events;

/// <summary>
/// Where an event comes from: the request (as Distribution's <c>NewRequestRecord</c> reads it,
/// behind the gateway), the actor, this registry node, and the base of target URLs.
/// </summary>
public sealed record EventOrigin(RequestRecord Request, ActorRecord Actor, SourceRecord Source, string UrlBase)
{
    /// <summary>Set by the gateway on every request it forwards.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>The authenticated user, set by the gateway (which removes any client-sent copy).</summary>
    public const string UserHeader = "X-RegistryCloud-User";

    public static EventOrigin From(HttpContext context, string instanceId, RegistryEventsOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var request = context.Request;
        var host = FirstValue(request.Headers["X-Forwarded-Host"]) ?? request.Host.Value;
        var record = new RequestRecord
        {
            Id = FirstValue(request.Headers[RequestIdHeader]) ?? context.TraceIdentifier,
            Addr = ClientAddress(context),
            Host = NullIfEmpty(host),
            Method = request.Method,
            UserAgent = request.Headers.UserAgent.ToString(),
        };

        var connection = context.Connection;
        var source = new SourceRecord
        {
            Addr = connection.LocalPort > 0 ? $"{Environment.MachineName}:{connection.LocalPort}" : Environment.MachineName,
            InstanceId = instanceId,
        };

        var actor = new ActorRecord { Name = NullIfEmpty(request.Headers[UserHeader].ToString()) };
        return new EventOrigin(record, actor, source, UrlBaseFor(request, host, options));
    }

    /// <summary>The origin of an event no request caused: a background job of this process, named as the actor.</summary>
    public static EventOrigin Background(string instanceId, string job) => new(
        new RequestRecord { Id = Guid.NewGuid().ToString() },
        new ActorRecord { Name = job },
        new SourceRecord { Addr = Environment.MachineName, InstanceId = instanceId },
        "");

    // Distribution's context.RemoteAddr: the first X-Forwarded-For hop, else X-Real-Ip, else the peer.
    private static string? ClientAddress(HttpContext context)
    {
        if (FirstValue(context.Request.Headers["X-Forwarded-For"]) is { } forwarded)
        {
            return forwarded;
        }

        if (FirstValue(context.Request.Headers["X-Real-Ip"]) is { } real)
        {
            return real;
        }

        return context.Connection.RemoteIpAddress is { } address
            ? new IPEndPoint(address, context.Connection.RemotePort).ToString()
            : null;
    }

    private static string UrlBaseFor(HttpRequest request, string? host, RegistryEventsOptions options)
    {
        if (options.RelativeUrls)
        {
            return "";
        }

        if (options.BaseUrl is { } baseUrl)
        {
            return baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/');
        }

        var scheme = FirstValue(request.Headers["X-Forwarded-Proto"]) ?? request.Scheme;
        return $"{scheme}://{host}";
    }

    /// <summary>The first comma-separated value of a header, trimmed; null when there is none.</summary>
    private static string? FirstValue(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var comma = header.IndexOf(',', StringComparison.Ordinal);
        var first = (comma < 0 ? header : header[..comma]).Trim();
        return first.Length == 0 ? null : first;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

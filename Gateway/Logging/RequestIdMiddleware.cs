
namespace RegistryCloud.Gateway.Logging;

/// <summary>
/// Gives every request an id: the client's <c>X-Request-Id</c> when it is a short token,
/// otherwise a new one. It is forwarded to the services (YARP copies request headers), echoed
/// on the response and carried by the access log, so one id ties the whole request together.
/// </summary>
internal static class RequestIdMiddleware
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 128;

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var requestId = context.Request.Headers[HeaderName].ToString();
            if (!IsAcceptable(requestId))
            {
                requestId = Guid.NewGuid().ToString("N");
                context.Request.Headers[HeaderName] = requestId;
            }

            context.TraceIdentifier = requestId;
            context.Response.Headers[HeaderName] = requestId;
            return next(context);
        });

    private static bool IsAcceptable(string value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

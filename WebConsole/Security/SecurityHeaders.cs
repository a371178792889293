namespace RegistryCloud.WebConsole.Security;

/// <summary>
/// Every answer forbids what the pages never need: inline script and style (the one script and
/// the stylesheet are files of this project), other origins, framing, MIME sniffing, referrers
/// and caching of pages that show a user's view of the registry.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (!context.Request.Path.StartsWithSegments("/css", StringComparison.Ordinal) && !context.Request.Path.StartsWithSegments("/js", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-store";
        }

        return next(context);
    });
}

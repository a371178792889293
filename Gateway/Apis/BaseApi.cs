
namespace RegistryCloud.Gateway.Apis;

/// <summary>
/// <c>GET /v2/</c>: the API version check every client makes first (OCI spec: determining
/// support). Answered by the gateway itself.
/// </summary>
internal static class BaseApi
{
    public const string ApiVersionHeader = "Docker-Distribution-API-Version";
    public const string ApiVersion = "registry/2.0";

    public static IEndpointRouteBuilder MapBaseApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/v2/", [HttpMethods.Get, HttpMethods.Head], Respond);
        return app;
    }

    private static IResult Respond(HttpContext context)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = 2;
            return Results.Empty;
        }

        return Results.Text("{}", "application/json; charset=utf-8");
    }

    /// <summary>Every response says which API it speaks, proxied ones and errors included.</summary>
    public static IApplicationBuilder UseApiVersionHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                response.Headers[ApiVersionHeader] = ApiVersion;
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
}

using Microsoft.AspNetCore.Mvc;
using RegistryCloud.Events.Redis;
using RegistryCloud.Hosting;
using RegistryCloud.NotifierService.DeadLetters;
using RegistryCloud.NotifierService.Endpoints;
using RegistryCloud.NotifierService.Status;
using RegistryCloud.Oci;

namespace RegistryCloud.NotifierService.Apis;

/// <summary>
/// The operator's view: <c>GET /endpoints</c> (each endpoint's status),
/// <c>GET /endpoints/{name}/deadletters?n=&amp;last=</c> (a page of dead letters) and
/// <c>POST /endpoints/{name}/deadletters/replay?n=</c> (send them again, behind what is queued).
/// Without Redis only the configuration can be shown; while Redis is down or does not answer
/// (within the client's timeout) each answers <c>UNAVAILABLE</c> (503).
/// </summary>
internal static class EndpointsApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    private static readonly OciErrorCode EndpointUnknown = OciErrorCode.NotFound with { Code = "ENDPOINT_UNKNOWN", Message = "no such endpoint in notifications.endpoints" };
    private static readonly OciErrorCode EndpointDisabled = OciErrorCode.Unsupported with { Code = "ENDPOINT_DISABLED", Status = StatusCodes.Status409Conflict, Message = "the endpoint is disabled" };

    public static IEndpointRouteBuilder MapEndpointsApi(this IEndpointRouteBuilder app, bool durable)
    {
        var group = app.MapGroup("/endpoints");
        if (!durable)
        {
            group.MapGet("/", ([FromServices] NotifierOptions options) =>
                Results.Json(EndpointStatusReader.Configured(options), NotifierJsonContext.Default.EndpointList));
            group.MapMethods("/{**rest}", ["GET", "POST"], () =>
                OciResults.Error(OciErrorCode.Unavailable, "no Redis is configured (ConnectionStrings:redis): events are neither kept nor delivered"));
            return app;
        }

        group.MapGet("/", async ([FromServices] EndpointStatusReader reader) =>
            await WithRedisAsync(async () => Results.Json(await reader.ReadAsync(), NotifierJsonContext.Default.EndpointList)));
        group.MapGet("/{name}/deadletters", (string name, [FromQuery(Name = "n")] int? count, [FromQuery(Name = "last")] string? last, [FromServices] NotifierOptions options, [FromServices] DeadLetterStore deadLetters) =>
            WithRedisAsync(() => ListDeadLettersAsync(name, count, last, options, deadLetters)));
        group.MapPost("/{name}/deadletters/replay", (HttpContext context, string name, [FromQuery(Name = "n")] long? count, [FromServices] NotifierOptions options, [FromServices] DeadLetterStore deadLetters) =>
            WithRedisAsync(() => ReplayAsync(context, name, count, options, deadLetters)));
        return app;
    }

    /// <summary>Redis down (at once) or not answering (after the client's timeout) is the service being unavailable, not an internal error.</summary>
    private static async Task<IResult> WithRedisAsync(Func<Task<IResult>> answer)
    {
        try
        {
            return await answer();
        }
        catch (Exception e) when (RedisFailure.IsUnavailable(e))
        {
            return OciResults.Error(OciErrorCode.Unavailable, "the event store (Redis) is unavailable; try again");
        }
    }

    private static async Task<IResult> ListDeadLettersAsync(string name, int? count, string? last, NotifierOptions options, DeadLetterStore deadLetters)
    {
        if (options.Find(name) is null)
        {
            return OciResults.Error(EndpointUnknown, name);
        }

        if (count is < 1 or > MaxPageSize)
        {
            return OciResults.Error(OciErrorCode.PaginationNumberInvalid, $"n must be between 1 and {MaxPageSize}");
        }

        var page = await deadLetters.ListAsync(name, count ?? DefaultPageSize, last);
        return Results.Json(page, NotifierJsonContext.Default.DeadLetterPage);
    }

    private static async Task<IResult> ReplayAsync(HttpContext context, string name, long? count, NotifierOptions options, DeadLetterStore deadLetters)
    {
        if (options.Find(name) is not { } endpoint)
        {
            return OciResults.Error(EndpointUnknown, name);
        }

        if (endpoint.Disabled)
        {
            return OciResults.Error(EndpointDisabled, name);
        }

        if (count is < 1)
        {
            return OciResults.Error(OciErrorCode.PaginationNumberInvalid, "n must be at least 1");
        }

        var replayed = await deadLetters.ReplayAsync(name, count, context.RequestAborted);
        return Results.Json(new ReplayResult(name, replayed), NotifierJsonContext.Default.ReplayResult);
    }
}

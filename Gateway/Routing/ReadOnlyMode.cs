using RegistryCloud.Core.Errors;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// <c>storage.maintenance.readonly.enabled</c>: pulls keep working, every push and delete gets
/// 405 <c>UNSUPPORTED</c> at the door, before any service is asked, as Distribution answers.
/// </summary>
internal static class ReadOnlyMode
{
    public static IApplicationBuilder UseReadOnlyMode(this IApplicationBuilder app, bool enabled) =>
        !enabled
            ? app
            : app.Use(async (context, next) =>
            {
                var method = context.Request.Method;
                if (context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal)
                    && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method))
                {
                    await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unsupported, "the registry is in read-only mode (storage.maintenance.readonly)");
                    return;
                }

                await next(context);
            });
}

using RegistryCloud.Configuration;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// <c>storage.maintenance.readonly.enabled</c>: pulls keep working, every push and delete gets
/// 405 <c>UNSUPPORTED</c> at the door, before any service is asked, as Distribution answers.
/// The setting follows the configuration file while the gateway runs (see
/// <see cref="ReadOnlyModeSwitch"/>), so an operator can freeze and thaw writes without a restart.
/// </summary>
internal static class ReadOnlyMode
{
    public static IApplicationBuilder UseReadOnlyMode(this IApplicationBuilder app, bool enabled)
    {
        var services = app.ApplicationServices;
        var readOnly = new ReadOnlyModeSwitch(
            enabled,
            services.GetService<RegistryConfigurationLoadResult>()?.SourcePath,
            RegistryConfigurationLoader.RegistryVariables(services.GetRequiredService<IConfiguration>()),
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILogger<ReadOnlyModeSwitch>>());
        return app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method)
                && context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal)
                && readOnly.IsEnabled())
            {
                await OciErrorResult.WriteAsync(context.Response, OciErrorCode.Unsupported, "the registry is in read-only mode (storage.maintenance.readonly)");
                return;
            }

            await next(context);
        });
    }
}

using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Extensions;

/// <summary><c>http.headers</c>: added to every response, as Distribution does (e.g. <c>X-Content-Type-Options: nosniff</c>).</summary>
internal static class ResponseHeaders
{
    public static IApplicationBuilder UseConfiguredHeaders(this IApplicationBuilder app, HttpConfiguration http)
    {
        if (http.Headers.Count == 0)
        {
            return app;
        }

        var headers = http.Headers.Select(pair => (pair.Key, Values: pair.Value.ToArray())).ToArray();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                foreach (var (name, values) in headers)
                {
                    context.Response.Headers[name] = values;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}

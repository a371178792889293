using System.Text.Json;
using RegistryCloud.Core.Oci;

namespace RegistryCloud.Gateway.Security;

/// <summary>
/// With <c>accesscontrol</c>, <c>GET /v2/_catalog</c> lists only the repositories the caller may
/// pull: ManifestService's page is read whole (a page is at most <c>catalog.maxentries</c> names)
/// and written back without the others. Its <c>Link</c> header is kept, so a filtered page may
/// hold fewer than <c>n</c> names, or none, before the last page.
/// </summary>
internal static class CatalogFilter
{
    private const int MaxCatalogPage = 16 * 1024 * 1024;

    public static IApplicationBuilder UseCatalogFilter(this IApplicationBuilder app)
    {
        var acl = app.ApplicationServices.GetRequiredService<AccessControlList>();
        if (!acl.IsConfigured)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) || OciPathParser.Parse(context.Request.Path.Value).Kind != OciRouteKind.Catalog)
            {
                await next(context);
                return;
            }

            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            buffer.Position = 0;
            var user = context.User.Identity?.Name;
            if (context.Response.StatusCode != StatusCodes.Status200OK || buffer.Length > MaxCatalogPage
                || Filter(buffer, repository => acl.Allows(user, repository, ResourceAccess.Pull)) is not { } filtered)
            {
                await buffer.CopyToAsync(original, context.RequestAborted);
                return;
            }

            context.Response.ContentLength = filtered.Length;
            await original.WriteAsync(filtered, context.RequestAborted);
        });
    }

    /// <summary>The page with only the allowed names, or null when it is not a catalog page.</summary>
    public static byte[]? Filter(Stream page, Func<string, bool> allowed)
    {
        try
        {
            using var document = JsonDocument.Parse(page);
            if (!document.RootElement.TryGetProperty("repositories", out var names) || names.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("repositories");
                foreach (var name in names.EnumerateArray())
                {
                    if (name.ValueKind == JsonValueKind.String && allowed(name.GetString()!))
                    {
                        writer.WriteStringValue(name.GetString());
                    }
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return output.ToArray();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using RegistryCloud.Hosting;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// Every repository name a request carries — the path's, and a cross-repository mount's
/// <c>from</c> — must satisfy the grammar, or the request answers 400 <c>NAME_INVALID</c>. This
/// runs before authentication and authorization, as Distribution's router matches names before
/// its access controller runs: a name's syntax reveals nothing about what the registry holds, and
/// only names checked here ever reach an ACL lookup, a challenge's <c>scope</c> or a service.
/// <c>/v2/</c> and <c>/v2/_catalog</c> carry no name and pass.
/// </summary>
internal static class RepositoryNameCheck
{
    public static IApplicationBuilder UseRepositoryNameCheck(this IApplicationBuilder app) =>
        app.Use((context, next) => Problem(context.Request) is { } problem
            ? OciErrorResult.WriteAsync(context.Response, OciErrorCode.NameInvalid, problem)
            : next(context));

    /// <summary>What is wrong with the request's names, or null when there is nothing to refuse.</summary>
    public static string? Problem(HttpRequest request)
    {
        var route = OciPathParser.Parse(request.Path.Value);
        if (route.Kind is OciRouteKind.None or OciRouteKind.Base or OciRouteKind.Catalog)
        {
            return null;
        }

        if (!route.NameIsValid)
        {
            return $"invalid repository name '{route.Name}'";
        }

        if (route.Kind == OciRouteKind.UploadStart && MountSource(request) is { } from && !RepositoryName.IsValid(from))
        {
            return $"invalid repository name '{from}' in the mount's from parameter";
        }

        return null;
    }

    /// <summary>
    /// The <c>from</c> of a mount, null when absent or empty (then there is no mount to authorize,
    /// as <see cref="Authorization.ResourceAccess.RequiredBy"/> reads it); several values are joined
    /// with ',', which no valid name holds.
    /// </summary>
    public static string? MountSource(HttpRequest request) =>
        request.Query["from"].ToString() is { Length: > 0 } from ? from : null;
}

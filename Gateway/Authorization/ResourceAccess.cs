using RegistryCloud.Gateway.Routing;
using RegistryCloud.Oci;

namespace RegistryCloud.Gateway.Authorization;

/// <summary>
/// Actions on one resource, as the Docker token spec names them: a challenge's and a token
/// request's <c>scope</c> (<c>repository:library/alpine:pull,push</c>) and one entry of a
/// token's <c>access</c> claim.
/// </summary>
internal sealed record ResourceAccess(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string Repository = "repository";
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";

    /// <summary><c>registry:catalog:*</c>, the scope of <c>GET /v2/_catalog</c>.</summary>
    public static readonly ResourceAccess Catalog = new("registry", "catalog", ["*"]);

    public string Scope => $"{Type}:{Name}:{string.Join(',', Actions)}";

    /// <summary>
    /// What a request needs, as Distribution's router asks it: GET and HEAD pull; POST, PUT and
    /// PATCH pull and push; DELETE deletes; a cross-repository mount also pulls from its
    /// <c>from</c> repository. Empty for <c>/v2/</c> (any authenticated caller) and unknown paths.
    /// The names were checked by <see cref="RepositoryNameCheck"/> before authentication.
    /// </summary>
    public static IReadOnlyList<ResourceAccess> RequiredBy(HttpRequest request)
    {
        var route = OciPathParser.Parse(request.Path.Value);
        if (route.Kind == OciRouteKind.Catalog)
        {
            return [Catalog];
        }

        if (route.Kind is OciRouteKind.None or OciRouteKind.Base)
        {
            return [];
        }

        var method = request.Method;
        string[] actions = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? [Pull]
            : HttpMethods.IsDelete(method) ? [Delete]
            : [Pull, Push];
        var access = new ResourceAccess(Repository, ValidName(route.Name), actions);
        if (route.Kind == OciRouteKind.UploadStart && RepositoryNameCheck.MountSource(request) is { } from)
        {
            return [access, new ResourceAccess(Repository, ValidName(from), [Pull])];
        }

        return [access];
    }

    /// <summary>
    /// Names copied into an ACL lookup or a challenge's scope must have passed
    /// <see cref="RepositoryNameCheck"/>; one that did not fails closed rather than reaching either.
    /// </summary>
    private static string ValidName(string name) =>
        RepositoryName.IsValid(name) ? name : throw new InvalidOperationException("a repository name reached authorization unchecked");

    /// <summary>
    /// Parses one scope: type, name and actions split at the first and the last ':', so a
    /// name with a registry host (<c>host:5000/x</c>) stays whole. Null when malformed.
    /// </summary>
    public static ResourceAccess? ParseScope(string scope)
    {
        var first = scope.IndexOf(':', StringComparison.Ordinal);
        var last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first + 1 || last == scope.Length - 1)
        {
            return null;
        }

        var type = scope[..first];
        var bracket = type.IndexOf('(', StringComparison.Ordinal);
        if (bracket > 0)
        {
            // "repository(plugin)" names a resource class; the type is what precedes it.
            type = type[..bracket];
        }

        var actions = scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return actions.Length == 0 ? null : new ResourceAccess(type, scope[(first + 1)..last], actions.Distinct(StringComparer.Ordinal).ToArray());
    }

    public bool Allows(string action) => Actions.Contains("*") || Actions.Contains(action);
}

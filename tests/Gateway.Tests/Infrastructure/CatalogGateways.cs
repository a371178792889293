using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway with <c>auth.htpasswd</c> and an <c>accesscontrol</c> that lets bob pull only
/// <c>*/visible</c>, in front of a manifests backend that pages <see cref="Names"/> as
/// ManifestService does: up to <c>n</c> names after <c>last</c>, and a <c>Link</c> while more remain.
/// <c>catalog.maxentries</c> is 10,000, so the gateway reads the backend in pages of 10,000 names.
/// </summary>
public abstract class CatalogGateway : GatewayFixture
{
    public const string Password = "bob's catalog password";

    /// <summary>The repositories, in ordinal order.</summary>
    internal abstract IReadOnlyList<string> Names { get; }

    /// <summary>The catalog requests the manifests backend received.</summary>
    internal int CatalogRequests => Manifests.Received.Count(request => request.Path == "/v2/_catalog");

    private protected override Func<HttpContext, string?>? ManifestAnswers => context =>
        context.Request.Path == "/v2/_catalog" ? Page(context, Names) : null;

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        var users = Path.Combine(Files.Path, "users.htpasswd");
        File.WriteAllLines(users, [Htpasswd.Bcrypt("bob", Password)]);
        yield return ConfigurationFile($"""
            version: 0.1
            storage: inmemory
            catalog:
              maxentries: 10000
            auth:
              htpasswd:
                realm: catalog
                path: {users}
            accesscontrol:
              rules:
                - user: bob
                  repository: "*/visible"
                  actions: [pull]
            """);
    }

    /// <summary>ManifestService's answer to <c>GET /v2/_catalog?n=&amp;last=</c>.</summary>
    private static string Page(HttpContext context, IReadOnlyList<string> names)
    {
        var query = context.Request.Query;
        var last = query["last"].ToString();
        var start = last.Length == 0 ? 0 : names.Count(name => string.CompareOrdinal(name, last) <= 0);
        var n = query["n"].ToString() is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : 10_000;
        var page = names.Skip(start).Take(n).ToList();
        if (query["n"].Count > 0 && n > 0 && start + page.Count < names.Count)
        {
            context.Response.Headers.Link = $"</v2/_catalog?n={n}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        }

        return JsonSerializer.Serialize(new { repositories = page });
    }
}

/// <summary>Thirty repositories, every third one visible to bob: r00/visible, r01/hidden, r02/hidden, r03/visible, ...</summary>
public sealed class InterleavedCatalogGateway : CatalogGateway
{
    internal override IReadOnlyList<string> Names { get; } =
        [.. Enumerable.Range(0, 30).Select(i => string.Create(CultureInfo.InvariantCulture, $"r{i:00}/{(i % 3 == 0 ? "visible" : "hidden")}"))];
}

/// <summary>
/// Eighty thousand repositories, a few of them visible to bob (<see cref="Visible"/>): long runs
/// of hidden ones between them, longer than one upstream page, one of them longer than the scan bound.
/// </summary>
public sealed class LongCatalogGateway : CatalogGateway
{
    public static readonly int[] Visible = [0, 15_000, 25_000, 70_000];

    internal override IReadOnlyList<string> Names { get; } =
        [.. Enumerable.Range(0, 80_000).Select(i => Name(i))];

    public static string Name(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"r{index:00000}/{(Visible.Contains(index) ? "visible" : "hidden")}");
}

using System.Net;
using System.Text;

namespace RegistryCloud.WebConsole.Tests.Pages;

/// <summary>
/// The gateway as the console sees it, in memory: alice (password <see cref="AlicePassword"/>)
/// may do everything, bob only pull, anonymous callers are refused; one repository whose image
/// carries hostile labels and annotations, pushed at <see cref="Pushed"/>. Records what it was asked.
/// </summary>
internal sealed class FakeRegistry : HttpMessageHandler
{
    public const string AlicePassword = "alice-in-memory";
    public const string BobPassword = "bob-in-memory";
    public const string Hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";

    public const string ManifestDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    /// <summary>When <c>team/app:v1</c> was pushed, as the tags list's <c>pushed=true</c> extension says.</summary>
    public const string Pushed = "2026-11-30T08:15:00Z";

    public const string ConfigDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    public List<(string Method, string Path, string? Authorization)> Received { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery;
        var authorization = request.Headers.Authorization?.ToString();
        lock (Received)
        {
            Received.Add((request.Method.Method, path, authorization));
        }

        var user = authorization switch
        {
            _ when authorization == Basic("alice", AlicePassword) => "alice",
            _ when authorization == Basic("bob", BobPassword) => "bob",
            _ => null,
        };
        if (user is null)
        {
            return Task.FromResult(Error(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "authentication required"));
        }

        if (request.Method == HttpMethod.Delete)
        {
            return Task.FromResult(user != "alice" ? Error(HttpStatusCode.Forbidden, "DENIED", "requested access to the resource is denied")
                : path.EndsWith("/manifests/" + global::RegistryCloud.WebConsole.Registry.RegistryClient.ProbeDigest, StringComparison.Ordinal) ? Error(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN", "manifest unknown")
                : new HttpResponseMessage(HttpStatusCode.Accepted));
        }

        return Task.FromResult(path switch
        {
            "/v2/" => Json("{}"),
            _ when path.StartsWith("/v2/_catalog", StringComparison.Ordinal) => Json("""{"repositories":["team/app"]}"""),
            _ when path.StartsWith("/v2/team/app/tags/list?pushed=true", StringComparison.Ordinal) => Json($$$"""{"name":"team/app","tags":["v1"],"pushed":{"v1":"{{{Pushed}}}"}}"""),
            _ when path.StartsWith("/v2/team/app/tags/list", StringComparison.Ordinal) => Json("""{"name":"team/app","tags":["v1"]}"""),
            "/v2/team/app/manifests/v1" or "/v2/team/app/manifests/" + ManifestDigest => Manifest(),
            "/v2/team/app/blobs/" + ConfigDigest => Json(Config()),
            "/v2/team/app/referrers/" + ManifestDigest => Json("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""),
            _ => Error(HttpStatusCode.NotFound, "NAME_UNKNOWN", "repository name not known to registry"),
        });
    }

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static HttpResponseMessage Manifest()
    {
        var hostile = System.Text.Json.JsonSerializer.Serialize(Hostile);
        var response = Json($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{ConfigDigest}}}","size":100},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":2048}],
             "annotations":{{{{hostile}}}:{{{hostile}}}}}
            """);
        response.Content.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json");
        response.Headers.Add("Docker-Content-Digest", ManifestDigest);
        return response;
    }

    private static string Config()
    {
        var hostile = System.Text.Json.JsonSerializer.Serialize(Hostile);
        return $$$"""
            {"created":"2024-01-01T00:00:00Z","os":"linux","architecture":"amd64",
             "config":{"Env":[{{{hostile}}}],"Labels":{"evil":{{{hostile}}}}},"history":[{"created_by":{{{hostile}}}}]}
            """;
    }

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
        new(status) { Content = new StringContent($$"""{"errors":[{"code":"{{code}}","message":"{{message}}"}]}""", Encoding.UTF8, "application/json") };
}

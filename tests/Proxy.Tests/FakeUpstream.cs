using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RegistryCloud.Proxy.Tests;

/// <summary>
/// A small upstream registry on loopback: one manifest at <c>/v2/team/app/manifests/v1</c>,
/// behind anonymous, Basic or bearer-token auth (a token endpoint at <c>/token</c> that counts
/// its calls and grants tokens for <see cref="TokenLifetimeSeconds"/>), plus misbehaving paths.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    public const string User = "mirror";
    public const string Password = "s3cret";
    public static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""");

    private readonly WebApplication _app;
    private int _tokens;

    private FakeUpstream(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public int TokensIssued => _tokens;

    public int TokenLifetimeSeconds { get; set; } = 300;

    /// <summary>Requests that reached a registry path, with the Authorization they carried.</summary>
    public List<string?> Authorizations { get; } = [];

    public static async Task<FakeUpstream> StartAsync(string auth)
    {
        FakeUpstream? upstream = null;
        var (app, address) = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/token", (HttpContext context) =>
            {
                if (auth == "bearer-basic" && context.Request.Headers.Authorization != BasicValue)
                {
                    return Results.StatusCode(401);
                }

                var scope = context.Request.Query["scope"].ToString();
                var n = Interlocked.Increment(ref upstream!._tokens);
                return Results.Json(new { token = $"t{n}|{scope}", expires_in = upstream.TokenLifetimeSeconds });
            });
            app.Map("/v2/{**path}", (HttpContext context, string path) => upstream!.Serve(context, path, auth));
        });
        upstream = new FakeUpstream(app, address);
        return upstream;
    }

    private static string BasicValue => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

    private async Task Serve(HttpContext context, string path, string auth)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        lock (Authorizations)
        {
            Authorizations.Add(authorization.Length == 0 ? null : authorization);
        }

        var allowed = auth switch
        {
            "basic" => authorization == BasicValue,
            "bearer" or "bearer-basic" => authorization.StartsWith("Bearer t", StringComparison.Ordinal) && authorization.EndsWith("|repository:team/app:pull", StringComparison.Ordinal),
            _ => true,
        };
        if (!allowed)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = auth == "basic"
                ? "Basic realm=\"fake\""
                : $"Bearer realm=\"http://{context.Request.Host}/token\",service=\"fake\",scope=\"repository:team/app:pull\"";
            return;
        }

        switch (path)
        {
            case "team/app/manifests/v1":
                context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
                context.Response.Headers["Docker-Content-Digest"] = TestContent.DigestOf(Manifest);
                await context.Response.Body.WriteAsync(Manifest);
                return;
            case "team/app/manifests/limited":
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "7";
                return;
            case "team/app/manifests/broken":
                context.Response.StatusCode = 503;
                return;
            case "team/app/manifests/huge":
                context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
                await context.Response.Body.WriteAsync(new byte[5 * 1024 * 1024]);
                return;
            case "team/app/manifests/slow":
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            case "team/app/manifests/fat-headers":
                context.Response.Headers["X-Padding"] = new string('x', 200 * 1024);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

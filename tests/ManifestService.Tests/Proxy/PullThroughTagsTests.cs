using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Proxy;

/// <summary>
/// <c>tags/list</c> of a proxied repository answers the upstream's tags (not only those pulled so
/// far), paged with <c>n</c>/<c>last</c>; the cached tags when the upstream is unreachable; the
/// upstream's 429 with its <c>Retry-After</c>; an OCI error when nothing can stand in.
/// </summary>
public sealed class PullThroughTagsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task TagAsync(DistributionRegistry upstream, string repository, string tag, byte[] manifest)
    {
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciImageManifest);
        using var put = await upstream.Client.PutAsync($"/v2/{repository}/manifests/{tag}", content, Token);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private static async Task<(string Tags, string? Link)> ListAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(path[4..path.IndexOf("/tags/list", StringComparison.Ordinal)], body.RootElement.GetProperty("name").GetString());
        var tags = string.Join(',', body.RootElement.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        return (tags, response.Header("Link"));
    }

    private static async Task PullAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciImageManifest));
        using var response = await client.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_tags_of_a_proxied_repository_are_the_upstreams_paged_with_n_and_last_and_cached_ones_stand_in_while_it_is_down()
    {
        using var root = new TemporaryDirectory();
        var upstream = await DistributionRegistry.StartAsync(root.Path);
        await using var _ = upstream;
        var image = await UpstreamImage.PushAsync(upstream, "library/app", "b");
        foreach (var tag in new[] { "d", "a", "c" })
        {
            await TagAsync(upstream, "library/app", tag, image.Manifest);
        }

        await using var services = new ProxiedRegistryServices(upstream.Client.BaseAddress!.ToString());
        await PullAsync(services.Manifests, "/v2/hub/app/manifests/b");

        Assert.Equal(("a,b,c,d", null), await ListAsync(services.Manifests, "/v2/hub/app/tags/list"));
        var (first, link) = await ListAsync(services.Manifests, "/v2/hub/app/tags/list?n=2");
        Assert.Equal("a,b", first);
        Assert.Equal("</v2/hub/app/tags/list?n=2&last=b>; rel=\"next\"", link);
        Assert.Equal(("c,d", null), await ListAsync(services.Manifests, "/v2/hub/app/tags/list?n=2&last=b"));
        Assert.Equal(("d", null), await ListAsync(services.Manifests, "/v2/hub/app/tags/list?last=c"));
        await OciAssert.ErrorAsync(await services.Manifests.GetAsync("/v2/hub/missing/tags/list", Token), HttpStatusCode.NotFound, "NAME_UNKNOWN");

        await upstream.StopAsync();
        Assert.Equal(("b", null), await ListAsync(services.Manifests, "/v2/hub/app/tags/list"));
        await OciAssert.ErrorAsync(await services.Manifests.GetAsync("/v2/hub/never/tags/list", Token), HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
    }

    [Theory]
    [InlineData(429, HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS")]
    [InlineData(500, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE")]
    public async Task An_upstream_refusing_the_list_of_an_uncached_repository_answers_an_OCI_error(int upstreamStatus, HttpStatusCode status, string code)
    {
        var (app, address) = await LoopbackApp.StartAsync(app => app.MapGet("/v2/{**path}", (HttpContext context) =>
        {
            context.Response.Headers.RetryAfter = "7";
            return Results.StatusCode(upstreamStatus);
        }));
        await using var _ = app;
        await using var services = new ProxiedRegistryServices(address);

        using var response = await services.Manifests.GetAsync("/v2/hub/limited/tags/list?n=10", Token);

        Assert.Equal(upstreamStatus == 429 ? "7" : null, response.Header("Retry-After"));
        await OciAssert.ErrorAsync(response, status, code);
    }
}

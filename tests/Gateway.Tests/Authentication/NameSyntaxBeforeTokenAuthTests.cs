using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>
/// <c>auth.token</c>: a repository name or a mount's <c>from</c> that breaks the grammar answers 400
/// <c>NAME_INVALID</c> before any token is asked for or checked, so no raw name ever reaches the
/// challenge's <c>scope</c>; with valid names, every quoted parameter of the challenge stays one.
/// </summary>
public sealed class NameSyntaxBeforeTokenAuthTests(TokenGateway gateway) : IClassFixture<TokenGateway>
{
    private const string Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly HttpClient _client = gateway.CreateClient();

    public static TheoryData<string, string> InvalidNames() => new()
    {
        { "GET", "/v2/UPPER/Case/tags/list" },
        { "GET", "/v2/a%22b,scope=%22x/manifests/latest" },
        { "GET", "/v2/a%0D%0AX-Injected:%20yes/tags/list" },
        { "POST", "/v2/library/app/blobs/uploads/?mount=" + Digest + "&from=a%22b%2Cscope%3D%22x" },
        { "POST", "/v2/library/app/blobs/uploads/?mount=" + Digest + "&from=a%5Cb" },
        { "POST", "/v2/library/app/blobs/uploads/?mount=" + Digest + "&from=a%0D%0AX-Injected:%20yes" },
        { "POST", "/v2/library/app/blobs/uploads/?mount=" + Digest + "&from=a%0Ab" },
        { "POST", "/v2/library/app/blobs/uploads/?mount=" + Digest + "&from=library/one&from=library/two" },
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task An_invalid_name_without_a_token_answers_400_NAME_INVALID_and_no_challenge(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.False(response.Headers.Contains("X-Injected"));
        Assert.False(gateway.AnyBackendSaw(path.Split('?')[0]));
    }

    [Fact]
    public async Task An_invalid_name_with_a_token_that_does_not_cover_it_answers_400_NAME_INVALID()
    {
        var token = gateway.Token("alice", ("library/app", ["pull"]));

        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/UPPER/Case/tags/list",
            request => request.Headers.Authorization = new("Bearer", token));

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task A_mount_from_a_valid_name_is_still_challenged_for_both_repositories_in_one_quoted_scope()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, $"/v2/library/app/blobs/uploads/?mount={Digest}&from=library/base");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Headers.WwwAuthenticate.Count == 1 ? response.StatusCode : HttpStatusCode.InternalServerError);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.EndsWith(",scope=\"repository:library/app:pull,push repository:library/base:pull\"", challenge, StringComparison.Ordinal);
        Assert.Equal(6, challenge.Count(c => c == '"'));
    }
}

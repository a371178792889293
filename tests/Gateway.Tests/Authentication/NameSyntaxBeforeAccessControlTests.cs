using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>
/// <c>auth.htpasswd</c> with <c>accesscontrol</c>: a repository name (or a mount's <c>from</c>) that
/// breaks the grammar answers 400 <c>NAME_INVALID</c> before any authentication or ACL decision,
/// as Distribution answers: its syntax reveals nothing, so callers of every kind learn the same.
/// </summary>
public sealed class NameSyntaxBeforeAccessControlTests(AccessControlledGateway gateway) : IClassFixture<AccessControlledGateway>
{
    private const string Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly HttpClient _client = gateway.CreateClient();

    public static TheoryData<string, string, string?> InvalidNames() => new()
    {
        { "GET", "/v2/UPPER/Case/tags/list", "bob" },
        { "GET", "/v2/UPPER/Case/tags/list", null },
        { "PUT", "/v2/UPPER/Case/manifests/latest", "bob" },
        { "DELETE", "/v2/team/App/manifests/latest", "alice" },
        { "POST", "/v2/team/app/blobs/uploads/?mount=" + Digest + "&from=Team/Other", "alice" },
        { "POST", "/v2/team/app/blobs/uploads/?mount=" + Digest + "&from=a%22b%2Cscope%3D%22x", "bob" },
        { "POST", "/v2/team/app/blobs/uploads/?mount=" + Digest + "&from=a%0D%0AX-Injected:%20yes", null },
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task An_invalid_name_answers_400_NAME_INVALID_whoever_asks(string method, string path, string? user)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path, request =>
        {
            if (user is not null)
            {
                request.Headers.Authorization = Htpasswd.Basic(user, user == "alice" ? TestAccessControl.AlicePassword : TestAccessControl.BobPassword);
            }
        });

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.False(gateway.AnyBackendSaw(path.Split('?')[0]));
    }

    [Fact]
    public async Task The_base_path_still_needs_credentials_and_the_catalog_is_still_filtered()
    {
        using var root = await _client.SendAsync(HttpMethod.Get, "/v2/");
        using var catalog = await _client.SendAsync(HttpMethod.Get, "/v2/_catalog");

        await OciAssert.ErrorAsync(root, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        Assert.Equal("""{"repositories":["public/a"]}""", await catalog.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

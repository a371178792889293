using System.Net;
using System.Text.Json.Nodes;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authorization;

/// <summary><c>auth.htpasswd</c> with <c>accesscontrol</c>: the ACL applied at the door, 403 <c>DENIED</c> for a known user.</summary>
public sealed class AccessControlTests(AccessControlledGateway gateway) : IClassFixture<AccessControlledGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task A_push_the_acl_denies_answers_403_denied_without_reaching_a_backend()
    {
        using var response = await _client.SendAsync(HttpMethod.Put, "/v2/team/app/manifests/bobs",
            request => request.Headers.Authorization = Htpasswd.Basic("bob", TestAccessControl.BobPassword));

        await OciAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
        Assert.False(gateway.AnyBackendSaw("/v2/team/app/manifests/bobs"));
    }

    [Fact]
    public async Task A_push_the_acl_allows_is_forwarded_as_the_user()
    {
        using var response = await _client.SendAsync(HttpMethod.Put, "/v2/team/app/manifests/alices",
            request => request.Headers.Authorization = Htpasswd.Basic("alice", TestAccessControl.AlicePassword));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", (await ReceivedRequest.ReadAsync(response)).User);
    }

    [Fact]
    public async Task A_pull_the_most_specific_rule_denies_answers_403()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/team/secret/manifests/latest",
            request => request.Headers.Authorization = Htpasswd.Basic("bob", TestAccessControl.BobPassword));

        await OciAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
        Assert.False(gateway.AnyBackendSaw("/v2/team/secret/manifests/latest"));
    }

    [Fact]
    public async Task An_anonymous_pull_an_anonymous_rule_allows_needs_no_credentials()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/public/a/manifests/latest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await ReceivedRequest.ReadAsync(response)).User);
    }

    [Fact]
    public async Task An_empty_Basic_user_and_password_counts_as_anonymous_as_skopeo_and_podman_send_it()
    {
        // containers/image answers a Basic challenge it has no credentials for with "Basic Og==" (":").
        using var allowed = await _client.SendAsync(HttpMethod.Get, "/v2/public/b/manifests/latest",
            request => request.Headers.TryAddWithoutValidation("Authorization", "Basic Og=="));
        using var denied = await _client.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/latest",
            request => request.Headers.TryAddWithoutValidation("Authorization", "Basic Og=="));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Null((await ReceivedRequest.ReadAsync(allowed)).User);
        await OciAssert.ErrorAsync(denied, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.False(gateway.AnyBackendSaw("/v2/team/app/manifests/latest"));
    }

    [Theory]
    [InlineData("GET", "/v2/zoo/x/manifests/latest")]
    [InlineData("PUT", "/v2/public/a/manifests/anonymous-push")]
    [InlineData("GET", "/v2/")]
    public async Task Anything_else_without_credentials_is_challenged(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal($"Basic realm=\"{AccessControlledGateway.Realm}\"", response.Headers.WwwAuthenticate.ToString());
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Fact]
    public async Task The_catalog_is_filtered_by_the_acl()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/_catalog",
            request => request.Headers.Authorization = Htpasswd.Basic("bob", TestAccessControl.BobPassword));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listing = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("""["public/a","team/app","zoo/x"]""", listing["repositories"]!.ToJsonString());
        Assert.Equal(listing.ToJsonString().Length, (int)response.Content.Headers.ContentLength!);
    }
}

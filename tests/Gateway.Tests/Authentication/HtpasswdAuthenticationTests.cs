using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>
/// <c>auth.htpasswd</c> at the door: every <c>/v2</c> request, the base path included (that is how
/// <c>docker login</c> checks credentials), needs Basic credentials of a bcrypt user in the file.
/// </summary>
public sealed class HtpasswdAuthenticationTests(AuthenticatedGateway gateway) : IClassFixture<AuthenticatedGateway>
{
    private const string ManifestPath = "/v2/alpine/manifests/latest";
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task A_request_without_credentials_answers_401_with_a_basic_challenge()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/v2/");

        await AssertChallengedAsync(response);
    }

    [Theory]
    [InlineData("GET", "/v2/{0}/manifests/latest")]
    [InlineData("POST", "/v2/{0}/blobs/uploads/")]
    [InlineData("GET", "/v2/{0}/tags/list")]
    public async Task A_registry_request_without_credentials_answers_401_without_reaching_a_backend(string method, string pathFormat)
    {
        var path = string.Format(CultureInfo.InvariantCulture, pathFormat, TestContent.NewRepository());

        using var response = await _client.SendAsync(new HttpMethod(method), path);

        await AssertChallengedAsync(response);
        Assert.False(gateway.AnyBackendSaw(path));
    }

    [Fact]
    public async Task A_wrong_password_answers_401_with_a_basic_challenge()
    {
        using var response = await SendAsync("/v2/", Htpasswd.Basic("alice", "wrong password"));

        await AssertChallengedAsync(response);
    }

    [Fact]
    public async Task An_unknown_user_answers_401_with_a_basic_challenge()
    {
        using var response = await SendAsync("/v2/", Htpasswd.Basic("mallory", AuthenticatedGateway.AlicePassword));

        await AssertChallengedAsync(response);
    }

    [Theory]
    [InlineData("bob", "bobs password")]
    [InlineData("dave", "daves password")]
    public async Task An_entry_that_is_not_bcrypt_is_not_accepted(string user, string password)
    {
        using var response = await SendAsync("/v2/", Htpasswd.Basic(user, password));

        await AssertChallengedAsync(response);
    }

    public static TheoryData<string> MalformedAuthorizations() => new()
    {
        "Bearer " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + AuthenticatedGateway.AlicePassword)),
        "Basic !!!not-base64!!!",
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice")),
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + AuthenticatedGateway.AlicePassword)),
        "Basic",
    };

    [Theory]
    [MemberData(nameof(MalformedAuthorizations))]
    public async Task A_malformed_authorization_header_answers_401(string authorization)
    {
        using var response = await _client.GetAsync("/v2/", request => request.Headers.TryAddWithoutValidation("Authorization", authorization));

        await AssertChallengedAsync(response);
    }

    [Fact]
    public async Task The_right_credentials_open_the_base_path()
    {
        using var response = await SendAsync("/v2/", Htpasswd.Basic("alice", AuthenticatedGateway.AlicePassword));

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(response.Headers.WwwAuthenticate.FirstOrDefault());
    }

    [Fact]
    public async Task The_backend_sees_the_authenticated_user_and_not_one_the_client_claims()
    {
        using var response = await _client.GetAsync(ManifestPath, request =>
        {
            request.Headers.Authorization = Htpasswd.Basic("alice", AuthenticatedGateway.AlicePassword);
            request.Headers.Add("X-RegistryCloud-User", "admin");
        });

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("alice", (await ReceivedRequest.ReadAsync(response)).User);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task The_health_endpoints_answer_without_credentials(string path)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, path);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_access_log_names_the_user_and_never_the_password()
    {
        using var response = await _client.GetAsync(ManifestPath, request =>
        {
            request.Headers.Authorization = Htpasswd.Basic("alice", AuthenticatedGateway.AlicePassword);
            request.Headers.Add("X-Request-Id", "access-log-1");
        });

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var line = await gateway.Logs.WaitForAsync(log => log.Message.Contains("id=access-log-1", StringComparison.Ordinal));
        Assert.Contains($"GET {ManifestPath} 200", line.Message, StringComparison.Ordinal);
        Assert.Contains("user=alice", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Logs.Lines, log => log.Message.Contains(AuthenticatedGateway.AlicePassword, StringComparison.Ordinal)
            || log.Message.Contains(Htpasswd.Basic("alice", AuthenticatedGateway.AlicePassword).Parameter!, StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> SendAsync(string path, AuthenticationHeaderValue credentials) =>
        _client.GetAsync(path, request => request.Headers.Authorization = credentials);

    private static async Task AssertChallengedAsync(HttpResponseMessage response)
    {
        await OciAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Equal($"realm=\"{AuthenticatedGateway.Realm}\"", challenge.Parameter);
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
    }
}

using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Tls;

/// <summary><c>http.tls.clientcas</c> on a real socket: only clients with a certificate the CAs signed get in.</summary>
public sealed class MutualTlsTests(TlsGateway gateway) : IClassFixture<TlsGateway>
{
    [Fact]
    public async Task A_client_certificate_signed_by_a_client_CA_is_let_in()
    {
        using var client = gateway.CreateClient(gateway.TrustedClient);

        using var response = await client.SendAsync(HttpMethod.Get, "/v2/");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("registry/2.0", response.Header("Docker-Distribution-API-Version"));
        Assert.Equal(Uri.UriSchemeHttps, gateway.Address.Scheme);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        using var client = gateway.CreateClient(certificate: null);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Get, "/v2/"));
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused()
    {
        using var client = gateway.CreateClient(gateway.StrangerClient);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Get, "/v2/"));
    }

    [Fact]
    public async Task A_client_certificate_whose_intermediate_is_not_sent_is_refused_without_fetching_its_AIA_or_CRL_URL()
    {
        await using var listener = await CertificateFetchListener.StartAsync();
        using var intermediate = TestCertificates.CreateIntermediate(gateway.IntermediateAuthority, "client intermediate");
        using var certificate = TestCertificates.CreateWithFetchUrls(intermediate, "carol", listener);
        // Served, so that a gateway which fetched it would let carol in.
        listener.Issuer = intermediate;
        using var client = gateway.CreateClient(certificate, []);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.SendAsync(HttpMethod.Get, "/v2/"));
        Assert.Equal(0, listener.Requests);
    }

    [Fact]
    public async Task A_client_certificate_sent_with_its_intermediate_is_let_in_without_fetching_anything()
    {
        await using var listener = await CertificateFetchListener.StartAsync();
        using var intermediate = TestCertificates.CreateIntermediate(gateway.IntermediateAuthority, "client intermediate");
        using var certificate = TestCertificates.CreateWithFetchUrls(intermediate, "dave", listener);
        using var client = gateway.CreateClient(certificate, intermediate);

        using var response = await client.SendAsync(HttpMethod.Get, "/v2/");

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(0, listener.Requests);
    }

    [Fact]
    public async Task Http2_is_negotiated_by_ALPN()
    {
        using var client = gateway.CreateClient(gateway.TrustedClient);

        using var response = await client.SendAsync(HttpMethod.Get, "/v2/", request =>
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        });

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }
}

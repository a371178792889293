using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Gateway.Tokens;

namespace RegistryCloud.Gateway.Tests.Tokens;

/// <summary>
/// An <c>x5c</c> chain is judged from what the token carries and the configured roots alone: the
/// gateway never fetches a missing issuer from a certificate's AIA URL nor a CRL, and checks the
/// signature with the leaf's key before it builds any chain, so a forged token costs no chain work.
/// </summary>
public sealed class TokenChainFetchTests : IAsyncLifetime
{
    private readonly X509Certificate2 _root = TestCertificates.CreateAuthority("token root");
    private X509Certificate2? _intermediate;
    private X509Certificate2? _leaf;
    private CertificateFetchListener? _listener;
    private TokenVerifier? _verifier;

    private CertificateFetchListener Listener => _listener ?? throw new InvalidOperationException("not started");

    private X509Certificate2 Intermediate => _intermediate ?? throw new InvalidOperationException("not started");

    private X509Certificate2 Leaf => _leaf ?? throw new InvalidOperationException("not started");

    private TokenVerifier Verifier => _verifier ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _listener = await CertificateFetchListener.StartAsync();
        _intermediate = TestCertificates.CreateIntermediate(_root, "token intermediate");
        _leaf = TestCertificates.CreateWithFetchUrls(_intermediate, "token signer", _listener);
        var keys = new TrustedTokenKeys();
        keys.Roots.Add(_root);
        keys.Add(_root.GetECDsaPublicKey()!);
        var options = new TokenAuthConfiguration { Realm = "https://auth.test/token", Service = TestTokens.Service, Issuer = TestTokens.Issuer };
        _verifier = new TokenVerifier(options, keys, TimeProvider.System);
    }

    [Fact]
    public async Task A_leaf_whose_issuer_is_missing_from_x5c_is_refused_without_fetching_its_AIA_or_CRL_URL()
    {
        // Served, so that a verifier which fetched it would accept the token.
        Listener.Issuer = Intermediate;
        using var key = Leaf.GetECDsaPrivateKey()!;
        var token = TestTokens.Sign(TestTokens.Header("ES256", null, Leaf), TestTokens.Claims("alice"), key);

        var (claims, problem) = await Verifier.VerifyAsync(token);

        Assert.Null(claims);
        Assert.Equal("certificate chain does not reach auth.token.rootcertbundle", problem);
        Assert.Equal(0, Listener.Requests);
    }

    [Fact]
    public async Task A_whole_chain_in_x5c_is_accepted_without_fetching_anything()
    {
        using var key = Leaf.GetECDsaPrivateKey()!;
        var token = TestTokens.Sign(TestTokens.Header("ES256", null, Leaf, Intermediate), TestTokens.Claims("alice"), key);

        var (claims, problem) = await Verifier.VerifyAsync(token);

        Assert.NotNull(claims);
        Assert.Empty(problem);
        Assert.Equal(0, Listener.Requests);
    }

    [Theory]
    [InlineData("x5c")]
    [InlineData("jwk with x5c")]
    public async Task A_bad_signature_is_refused_as_such_before_any_chain_is_built(string form)
    {
        // The chain could not be built either (its intermediate is missing): the problem named
        // shows which check came first.
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = TestTokens.Header("ES256", null, Leaf);
        if (form != "x5c")
        {
            header.Remove("x5c");
            using var leafKey = Leaf.GetECDsaPublicKey()!;
            var q = leafKey.ExportParameters(false).Q;
            header["jwk"] = new JsonObject
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["x"] = TestTokens.Base64Url(q.X!), ["y"] = TestTokens.Base64Url(q.Y!),
                ["x5c"] = new JsonArray(Convert.ToBase64String(Leaf.RawData)),
            };
        }

        var (claims, problem) = await Verifier.VerifyAsync(TestTokens.Sign(header, TestTokens.Claims("alice"), forger));

        Assert.Null(claims);
        Assert.Equal("bad signature", problem);
        Assert.Equal(0, Listener.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        _leaf?.Dispose();
        _intermediate?.Dispose();
        _root.Dispose();
    }
}

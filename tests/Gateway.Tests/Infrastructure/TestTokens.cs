using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// JWTs written by hand, the way external issuers (docker_auth, GitLab, Harbor) write them, so a
/// test can set any header field or claim, sign with any key, or not sign at all.
/// </summary>
internal static class TestTokens
{
    public const string Issuer = "test-issuer";
    public const string Service = "registry.test";

    /// <summary>Claims valid for the next five minutes granting <paramref name="access"/>.</summary>
    public static JsonObject Claims(string subject, params (string Name, string[] Actions)[] access) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = subject,
        ["aud"] = Service,
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        ["nbf"] = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds(),
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["access"] = new JsonArray([.. access.Select(entry => (JsonNode)new JsonObject
        {
            ["type"] = "repository",
            ["name"] = entry.Name,
            ["actions"] = new JsonArray([.. entry.Actions.Select(action => (JsonNode)JsonValue.Create(action))]),
        })]),
    };

    public static JsonObject Header(string algorithm, string? kid = null, params X509Certificate2[] chain)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = algorithm };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        if (chain.Length > 0)
        {
            header["x5c"] = new JsonArray([.. chain.Select(certificate => (JsonNode)JsonValue.Create(Convert.ToBase64String(certificate.RawData)))]);
        }

        return header;
    }

    /// <summary>Signs header and claims with <paramref name="key"/> by the header's algorithm (RS*, PS*, ES*, HS* with a byte key).</summary>
    public static string Sign(JsonObject header, JsonObject claims, object? key)
    {
        var signed = $"{Encode(header)}.{Encode(claims)}";
        var data = Encoding.ASCII.GetBytes(signed);
        var algorithm = header["alg"]!.GetValue<string>();
        var hash = algorithm[2..] switch { "256" => HashAlgorithmName.SHA256, "384" => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        byte[] signature = key switch
        {
            null => [],
            ECDsa ec => ec.SignData(data, hash),
            RSA rsa when algorithm.StartsWith("PS", StringComparison.Ordinal) => rsa.SignData(data, hash, RSASignaturePadding.Pss),
            RSA rsa => rsa.SignData(data, hash, RSASignaturePadding.Pkcs1),
            byte[] secret => HMACSHA256.HashData(secret, data),
            _ => throw new ArgumentException("unknown key kind", nameof(key)),
        };
        return $"{signed}.{Base64Url(signature)}";
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static JsonObject Decode(string part) =>
        JsonNode.Parse(Convert.FromBase64String(Pad(part.Replace('-', '+').Replace('_', '/'))))!.AsObject();

    /// <summary>A certificate authority and a token-signing certificate it issued (the x5c leaf), with keys.</summary>
    public static (X509Certificate2 Authority, X509Certificate2 Leaf) CreateChain(bool rsa = false)
    {
        var authority = TestCertificates.CreateAuthority("token CA");
        var now = DateTimeOffset.UtcNow;
        if (rsa)
        {
            using var rsaKey = RSA.Create(2048);
            var rsaRequest = new CertificateRequest("CN=token signer", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            // An EC authority signing an RSA leaf needs the generator overload.
            using var authorityKey = authority.GetECDsaPrivateKey()!;
            using var rsaIssued = rsaRequest.Create(
                authority.SubjectName, X509SignatureGenerator.CreateForECDsa(authorityKey), now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
            return (authority, rsaIssued.CopyWithPrivateKey(rsaKey));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=token signer", key, HashAlgorithmName.SHA256);
        using var issued = request.Create(authority, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return (authority, issued.CopyWithPrivateKey(key));
    }

    /// <summary>A self-signed certificate for a signing key, as an issuer's root bundle entry.</summary>
    public static X509Certificate2 SelfSigned(AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest("CN=token issuer", ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest("CN=token issuer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unknown key kind", nameof(key)),
        };
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }

    /// <summary>A JWKS file of one public key with an explicit kid.</summary>
    public static string WriteJwks(string directory, AsymmetricAlgorithm key, string kid)
    {
        var jwk = new JsonObject { ["kid"] = kid, ["use"] = "sig" };
        switch (key)
        {
            case RSA rsa:
                var p = rsa.ExportParameters(false);
                jwk["kty"] = "RSA";
                jwk["n"] = Base64Url(p.Modulus!);
                jwk["e"] = Base64Url(p.Exponent!);
                break;
            case ECDsa ec:
                var q = ec.ExportParameters(false).Q;
                jwk["kty"] = "EC";
                jwk["crv"] = "P-256";
                jwk["x"] = Base64Url(q.X!);
                jwk["y"] = Base64Url(q.Y!);
                break;
        }

        var path = Path.Combine(directory, "jwks.json");
        File.WriteAllText(path, new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString());
        return path;
    }

    private static string Encode(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Pad(string text) => text + new string('=', (4 - text.Length % 4) % 4);
}

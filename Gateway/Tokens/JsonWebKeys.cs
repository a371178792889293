using System.Security.Cryptography;
using System.Text.Json;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>JWK (RFC 7517) public keys: RSA and EC, to and from JSON.</summary>
internal static class JsonWebKeys
{
    /// <summary>The public key a JWK describes, or null when it is neither RSA nor EC on a JOSE curve.</summary>
    public static AsymmetricAlgorithm? ToPublicKey(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        switch (Text(jwk, "kty"))
        {
            case "RSA" when Text(jwk, "n") is { } n && Text(jwk, "e") is { } e:
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = TokenKeyIds.FromBase64Url(n), Exponent = TokenKeyIds.FromBase64Url(e) });
                return rsa;
            case "EC" when Text(jwk, "x") is { } x && Text(jwk, "y") is { } y && Curve(Text(jwk, "crv")) is { } curve:
                var ec = ECDsa.Create();
                ec.ImportParameters(new ECParameters
                {
                    Curve = curve,
                    Q = new ECPoint { X = TokenKeyIds.FromBase64Url(x), Y = TokenKeyIds.FromBase64Url(y) },
                });
                return ec;
            default:
                return null;
        }
    }

    /// <summary>Writes the public JWK of <paramref name="key"/>, with <c>kid</c> when given.</summary>
    public static void Write(Utf8JsonWriter writer, AsymmetricAlgorithm key, string? keyId)
    {
        writer.WriteStartObject();
        switch (key)
        {
            case RSA rsa:
                var rsaParameters = rsa.ExportParameters(false);
                writer.WriteString("kty", "RSA");
                writer.WriteString("n", TokenKeyIds.Base64Url(rsaParameters.Modulus!));
                writer.WriteString("e", TokenKeyIds.Base64Url(rsaParameters.Exponent!));
                break;
            case ECDsa ec:
                var ecParameters = ec.ExportParameters(false);
                writer.WriteString("kty", "EC");
                writer.WriteString("crv", TokenKeyIds.CurveName(ec));
                writer.WriteString("x", TokenKeyIds.Base64Url(ecParameters.Q.X!));
                writer.WriteString("y", TokenKeyIds.Base64Url(ecParameters.Q.Y!));
                break;
        }

        if (keyId is not null)
        {
            writer.WriteString("kid", keyId);
        }

        writer.WriteEndObject();
    }

    private static string? Text(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ECCurve? Curve(string? name) => name switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => null,
    };
}

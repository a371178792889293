using System.Security.Cryptography;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// The JWS algorithms tokens may be signed with: RSA (RS*, PS*) and ECDSA (ES*). <c>none</c> and the
/// HMAC family are never accepted: a verifier holding only public keys must not let the token
/// choose a shared secret, which is the classic algorithm-confusion forgery.
/// </summary>
internal static class JwsAlgorithms
{
    public static readonly string[] Supported = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    public static bool Verify(string algorithm, AsymmetricAlgorithm key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        switch (key)
        {
            case RSA rsa when algorithm.StartsWith("RS", StringComparison.Ordinal) && Hash(algorithm) is { } hash:
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
            case RSA rsa when algorithm.StartsWith("PS", StringComparison.Ordinal) && Hash(algorithm) is { } hash:
                return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss);
            case ECDsa ec when algorithm == EcAlgorithm(ec) && Hash(algorithm) is { } hash:
                // JWS carries r||s at the curve's field size (RFC 7518 §3.4): .NET's IEEE P1363 form.
                return signature.Length == 2 * ((ec.KeySize + 7) / 8)
                    && ec.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            default:
                return false;
        }
    }

    public static byte[] Sign(string algorithm, AsymmetricAlgorithm key, ReadOnlySpan<byte> data) => key switch
    {
        RSA rsa => rsa.SignData(data.ToArray(), Hash(algorithm) ?? throw Unsupported(algorithm), RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.SignData(data, Hash(algorithm) ?? throw Unsupported(algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => throw Unsupported(algorithm),
    };

    /// <summary>The algorithm a key signs with: ES256/384/512 by curve, RS256 for RSA.</summary>
    public static string For(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => EcAlgorithm(ec),
        RSA => "RS256",
        _ => throw new NotSupportedException($"{key.GetType().Name} keys cannot sign tokens"),
    };

    private static string EcAlgorithm(ECDsa ec) => ec.KeySize switch
    {
        256 => "ES256",
        384 => "ES384",
        521 => "ES512",
        _ => "",
    };

    private static HashAlgorithmName? Hash(string algorithm) => algorithm.Length != 5 ? null : algorithm.AsSpan(2) switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static NotSupportedException Unsupported(string algorithm) => new($"'{algorithm}' is not a supported signing algorithm");
}

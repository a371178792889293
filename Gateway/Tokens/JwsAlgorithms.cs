using System.Security.Cryptography;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>The JWS algorithms the built-in token service signs with: ES256/384/512 by curve, RS256 for RSA.</summary>
internal static class JwsAlgorithms
{
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

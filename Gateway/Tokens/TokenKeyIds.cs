using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace RegistryCloud.Gateway.Tokens;

/// <summary>
/// The key ids real token issuers put in a JWT's <c>kid</c>. Docker's libtrust id (docker_auth,
/// GitLab, Distribution 2.x) and the RFC 7638 thumbprint (Distribution 3.0) name the same key in
/// two ways; Distribution 3.0 knew only the thumbprint and rejected every libtrust-kid token, so
/// the verifier indexes each trusted key under both.
/// </summary>
internal static class TokenKeyIds
{
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>
    /// libtrust's id: the first 240 bits of SHA-256 over the DER SubjectPublicKeyInfo, in
    /// base32 (48 characters), as twelve groups of four joined by ':'.
    /// </summary>
    public static string Libtrust(AsymmetricAlgorithm key)
    {
        var hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        var encoded = Base32(hash.AsSpan(0, 30));
        var builder = new StringBuilder(encoded.Length + 11);
        for (var i = 0; i < encoded.Length; i += 4)
        {
            if (i > 0)
            {
                builder.Append(':');
            }

            builder.Append(encoded, i, 4);
        }

        return builder.ToString();
    }

    /// <summary>
    /// RFC 7638: base64url SHA-256 of the key's required JWK members, as the identity model library
    /// computes it. Throws <see cref="ArgumentException"/> for an EC key on a curve JOSE does not name.
    /// </summary>
    public static string Thumbprint(AsymmetricAlgorithm key) => Thumbprint(TrustedTokenKeys.SecurityKeyOf(key));

    public static string Thumbprint(SecurityKey key) => Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            builder.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return builder.ToString();
    }
}

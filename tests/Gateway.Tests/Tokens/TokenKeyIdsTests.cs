using System.Security.Cryptography;
using RegistryCloud.Gateway.Tokens;

namespace RegistryCloud.Gateway.Tests.Tokens;

/// <summary>
/// The kid forms of real issuers, checked against values computed outside .NET (Python's
/// cryptography package over an openssl-made key) for the same P-256 key.
/// </summary>
public sealed class TokenKeyIdsTests
{
    private const string KeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZjFa9Plv6RZx4CMe
        EelFCLi+v7z1snOjAzCYV2+Knp+hRANCAAQCxUipfNt2KQmlXs3K4g403c3lYEtk
        6Xwkxwhb126n/BBjf7aL8TFFhBtcqzUD54jfDj+i3bTSsGBlOUJ1+D2m
        -----END PRIVATE KEY-----
        """;

    [Fact]
    public void The_libtrust_key_id_is_docker_s_base32_fingerprint_in_groups_of_four()
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(KeyPem);

        Assert.Equal("KT7D:FCF2:R4EZ:3P24:TTVF:7PCV:AXUJ:KYGE:OHJT:4DUH:OTX2:5PPW", TokenKeyIds.Libtrust(key));
    }

    [Fact]
    public void The_thumbprint_is_rfc_7638_over_the_required_members()
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(KeyPem);

        Assert.Equal("rx74OxAtdw49q8hmleLs4Ge9lFUka5vw7YBY6zNud9w", TokenKeyIds.Thumbprint(key));
    }

    [Fact]
    public void An_rsa_key_has_both_forms_and_they_differ_from_another_key()
    {
        using var first = RSA.Create(2048);
        using var second = RSA.Create(2048);

        Assert.Matches("^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$", TokenKeyIds.Libtrust(first));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", TokenKeyIds.Thumbprint(first));
        Assert.NotEqual(TokenKeyIds.Libtrust(first), TokenKeyIds.Libtrust(second));
        Assert.NotEqual(TokenKeyIds.Thumbprint(first), TokenKeyIds.Thumbprint(second));
    }
}

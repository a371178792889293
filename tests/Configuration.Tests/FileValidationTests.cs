
namespace RegistryCloud.Configuration.Tests;

/// <summary>Files a configuration names are checked, each missing one reported with its key.</summary>
public sealed class FileValidationTests
{
    private const string EveryFile = """
        version: 0.1
        storage:
          inmemory:
        http:
          tls:
            certificate: /tls/cert.pem
            key: /tls/key.pem
            clientcas: [/tls/ca-1.pem, /tls/ca-2.pem]
        auth:
          token:
            realm: https://auth.example.com/token
            service: registry
            issuer: auth
            rootcertbundle: /auth/bundle.pem
            jwks: /auth/jwks.json
        tokenservice:
          htpasswd: /auth/htpasswd
          key: /auth/signing.key
          certificate: /auth/signing.crt
        redis:
          addr: redis:6379
          tls:
            certificate: /redis/client.pem
            key: /redis/client.key
            rootcas: [/redis/ca.pem]
        """;

    [Fact]
    public void Every_missing_file_is_reported_with_its_key_and_path()
    {
        var configuration = Loading.Configuration(EveryFile);

        var error = Assert.Throws<RegistryConfigurationException>(
            () => RegistryConfigurationLoader.ValidateFiles(configuration, _ => false));

        Assert.Equal(
            new[]
            {
                "http.tls.certificate: file '/tls/cert.pem' does not exist",
                "http.tls.key: file '/tls/key.pem' does not exist",
                "http.tls.clientcas[0]: file '/tls/ca-1.pem' does not exist",
                "http.tls.clientcas[1]: file '/tls/ca-2.pem' does not exist",
                "auth.token.rootcertbundle: file '/auth/bundle.pem' does not exist",
                "auth.token.jwks: file '/auth/jwks.json' does not exist",
                "tokenservice.htpasswd: file '/auth/htpasswd' does not exist",
                "tokenservice.key: file '/auth/signing.key' does not exist",
                "tokenservice.certificate: file '/auth/signing.crt' does not exist",
                "redis.tls.certificate: file '/redis/client.pem' does not exist",
                "redis.tls.key: file '/redis/client.key' does not exist",
                "redis.tls.rootcas[0]: file '/redis/ca.pem' does not exist",
            },
            error.Problems);
    }

    [Fact]
    public void Only_the_missing_files_are_reported()
    {
        var configuration = Loading.Configuration(EveryFile);

        var error = Assert.Throws<RegistryConfigurationException>(
            () => RegistryConfigurationLoader.ValidateFiles(configuration, path => path != "/tls/ca-2.pem"));

        Assert.Equal("http.tls.clientcas[1]: file '/tls/ca-2.pem' does not exist", error.Message);
    }

    [Fact]
    public void The_htpasswd_file_is_checked()
    {
        var configuration = Loading.Configuration(Loading.Minimal + "auth:\n  htpasswd:\n    realm: basic\n    path: /auth/htpasswd\n");

        var error = Assert.Throws<RegistryConfigurationException>(
            () => RegistryConfigurationLoader.ValidateFiles(configuration, _ => false));

        Assert.Equal("auth.htpasswd.path: file '/auth/htpasswd' does not exist", error.Message);
    }

    [Fact]
    public void A_configuration_whose_files_all_exist_validates()
    {
        var configuration = Loading.Configuration(EveryFile);

        RegistryConfigurationLoader.ValidateFiles(configuration, _ => true);
        RegistryConfigurationLoader.ValidateFiles(Loading.Configuration(Loading.Minimal));
    }
}

using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>Files the configuration names but that are not there stop start-up, with the key in the message.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_missing_htpasswd_file_stops_start_up_naming_auth_htpasswd_path()
    {
        using var directory = new TemporaryDirectory();
        var missing = Path.Combine(directory.Path, "htpasswd");

        var message = await StartupErrorAsync(new Dictionary<string, string>
        {
            [GatewaySettings.HtpasswdRealm] = "realm",
            [GatewaySettings.HtpasswdPath] = missing,
        });

        Assert.Contains("auth.htpasswd.path", message, StringComparison.Ordinal);
        Assert.Contains(missing, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_tls_certificate_stops_start_up_naming_http_tls_certificate()
    {
        using var directory = new TemporaryDirectory();
        using var server = TestCertificates.CreateServer();
        var (_, key) = TestCertificates.WritePem(server, directory.Path, "server");
        var missing = Path.Combine(directory.Path, "missing.crt");

        var message = await StartupErrorAsync(new Dictionary<string, string>
        {
            ["REGISTRY_HTTP_TLS_CERTIFICATE"] = missing,
            ["REGISTRY_HTTP_TLS_KEY"] = key,
        });

        Assert.Contains("http.tls.certificate", message, StringComparison.Ordinal);
        Assert.Contains(missing, message, StringComparison.Ordinal);
    }

    /// <summary>Starts the gateway, expecting it to fail; returns every message of the exception chain.</summary>
    private static async Task<string> StartupErrorAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var factory = new GatewayFactory(settings);
        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        var messages = new List<string>();
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" | ", messages);
    }
}

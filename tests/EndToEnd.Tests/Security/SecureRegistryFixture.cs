using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// One AppHost run from a <c>config.yml</c> this fixture writes: the gateway serves only TLS with
/// a certificate signed by the test's own CA (client certificates verified against a client CA
/// when given), authenticates users of a bcrypt htpasswd file the way the derived fixture says
/// (<see cref="TokenRegistryFixture"/>, <see cref="HtpasswdRegistryFixture"/>) and grants what
/// <c>accesscontrol</c> allows: alice pushes and pulls <c>team/**</c>, bob only pulls it, anyone
/// pulls <c>public/**</c>; each of them pushes and pulls a namespace of their own (<c>alice/**</c>,
/// <c>bob/**</c>) the other cannot read. Its services run at <see cref="Replicas"/> replicas.
/// Its own Docker daemon is given the CA the documented way, <c>/etc/docker/certs.d/&lt;host:port&gt;/ca.crt</c>,
/// but note that dockerd always counts 127.0.0.0/8 as an insecure registry (moby's registry
/// config appends it unconditionally): towards this loopback gateway it speaks TLS without
/// verifying the certificate, and no daemon flag turns that off. skopeo is what checks the CA.
/// </summary>
public abstract class SecureRegistryFixture : IAsyncLifetime
{
    public const string Alice = "alice";
    public const string AlicePassword = "alice-Secret-1";
    public const string Bob = "bob";
    public const string BobPassword = "bob-Secret-2";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly Lazy<Task<DockerEngine>> _docker;
    private DistributedApplication? _app;
    private string? _dataDirectory;
    private string? _dockerCertificates;
    private bool _createdCertsD;
    private HttpClient? _http;
    private X509Certificate2? _serverAuthority;

    public SecureRegistryFixture()
    {
        _docker = new(StartDockerAsync);
    }

    /// <summary><c>localhost:port</c> of the gateway's TLS listener.</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>A <c>--cert-dir</c> with only the server CA (<c>ca.crt</c>).</summary>
    public string TrustDirectory { get; private set; } = string.Empty;

    /// <summary>A <c>--cert-dir</c> with the server CA and a client certificate the client CA signed.</summary>
    public string ClientCertificateDirectory { get; private set; } = string.Empty;

    /// <summary>A <c>--cert-dir</c> with the server CA and a client certificate of a CA the gateway does not know.</summary>
    public string RogueClientCertificateDirectory { get; private set; } = string.Empty;

    /// <summary>Distribution's layout root on disk: <c>&lt;storage&gt;/docker/registry/v2/repositories</c>.</summary>
    public string RepositoriesRoot => Path.Combine(_dataDirectory!, "storage", "docker", "registry", "v2", "repositories");

    /// <summary>An HTTPS client trusting only the test CA, based at <c>https://localhost:port/</c>.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("The registry has not been started.");

    public Task<DockerEngine> GetDockerAsync() => _docker.Value;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _dataDirectory = Directory.CreateTempSubdirectory("registrycloud-e2e-security-").FullName;
        var port = LoopbackPorts.Free();
        Address = $"localhost:{port}";
        var configPath = WriteConfiguration(_dataDirectory);
        _http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => TrustedByTestAuthority(certificate) },
        })
        {
            BaseAddress = new Uri($"https://{Address}/"),
            Timeout = TimeSpan.FromMinutes(2),
        };

        try
        {
            await StartAppHostAsync(port, configPath, cancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>How many replicas of each service the AppHost runs.</summary>
    public virtual int Replicas => 1;

    /// <summary>What the gateway answers a user who may pull but asks to push (starts an upload).</summary>
    public abstract HttpStatusCode RefusedPushStatus { get; }

    /// <summary>Gives <paramref name="request"/> the credentials this auth mode wants for <paramref name="scope"/>.</summary>
    public abstract Task AuthorizeAsync(HttpRequestMessage request, string user, string password, string scope, CancellationToken cancellationToken);

    /// <summary>The <c>auth:</c> section (and any section beside it) of the configuration.</summary>
    protected abstract string AuthSection(string htpasswdPath, string pki);

    protected static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        try
        {
            if (_docker.IsValueCreated && await Task.WhenAny(_docker.Value) is { IsCompletedSuccessfully: true } started)
            {
                await started.Result.DisposeAsync();
            }
        }
        finally
        {
            RemoveDockerTrust();
            if (_app is not null)
            {
                await _app.DisposeAsync();
                _app = null;
            }

            _serverAuthority?.Dispose();
            if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }
    }

    private string WriteConfiguration(string data)
    {
        var pki = Directory.CreateDirectory(Path.Combine(data, "pki")).FullName;
        _serverAuthority = TestCertificates.CreateAuthority("RegistryCloud E2E server CA");
        using var clientAuthority = TestCertificates.CreateAuthority("RegistryCloud E2E client CA");
        using var rogueAuthority = TestCertificates.CreateAuthority("Somebody else's CA");
        using var server = TestCertificates.CreateServer(_serverAuthority);
        using var client = TestCertificates.CreateClient(clientAuthority, "e2e-client");
        using var rogue = TestCertificates.CreateClient(rogueAuthority, "e2e-rogue");
        TestCertificates.WritePem(server, pki, "server");
        File.WriteAllText(Path.Combine(pki, "client-ca.pem"), clientAuthority.ExportCertificatePem() + "\n");
        TrustDirectory = TestCertificates.WriteCertificateDirectory(Path.Combine(data, "certs", "trust"), _serverAuthority);
        ClientCertificateDirectory = TestCertificates.WriteCertificateDirectory(Path.Combine(data, "certs", "client"), _serverAuthority, client);
        RogueClientCertificateDirectory = TestCertificates.WriteCertificateDirectory(Path.Combine(data, "certs", "rogue"), _serverAuthority, rogue);

        File.WriteAllLines(Path.Combine(pki, "htpasswd"),
        [
            $"{Alice}:{BCrypt.Net.BCrypt.HashPassword(AlicePassword, workFactor: 5)}",
            $"{Bob}:{BCrypt.Net.BCrypt.HashPassword(BobPassword, workFactor: 5)}",
        ]);

        var path = Path.Combine(data, "config.yml");
        File.WriteAllText(path, $"""
            version: 0.1
            log:
              fields:
                service: registry
            storage:
              filesystem:
                rootdirectory: /var/lib/registry
            http:
              tls:
                certificate: {Path.Combine(pki, "server.crt")}
                key: {Path.Combine(pki, "server.key")}
                clientcas:
                  - {Path.Combine(pki, "client-ca.pem")}
                clientauth: verify-client-cert-if-given
            {AuthSection(Path.Combine(pki, "htpasswd"), pki)}
            accesscontrol:
              rules:
                - user: {Alice}
                  repository: "team/**"
                  actions: [pull, push, delete]
                - user: {Bob}
                  repository: "team/**"
                  actions: [pull]
                - user: {Alice}
                  repository: "public/**"
                  actions: [pull, push]
                - anonymous: true
                  repository: "public/**"
                  actions: [pull]
                - user: {Alice}
                  repository: "alice/**"
                  actions: [pull, push]
                - user: {Bob}
                  repository: "bob/**"
                  actions: [pull, push]
            """);
        return path;
    }

    private async Task StartAppHostAsync(int port, string configPath, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("ASPIRE_ALLOW_UNSECURED_TRANSPORT") is null)
        {
            Environment.SetEnvironmentVariable("ASPIRE_ALLOW_UNSECURED_TRANSPORT", "true");
        }

        string[] arguments =
        [
            $"--RegistryCloud:GatewayPort={port}",
            $"--RegistryCloud:DataDirectory={_dataDirectory}",
            $"--config={configPath}",
            $"--RegistryCloud:Replicas={Replicas}",
        ];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            arguments, (options, _) => options.DisableDashboard = true, timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        string[] resources = ["gateway", .. new[] { "blobservice", "manifestservice" }.SelectMany(service =>
            Enumerable.Range(0, Replicas).Select(index => RegistryAppFixture.ReplicaName(service, index)))];
        await Task.WhenAll(resources.Select(name =>
            _app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, timeout.Token)));

        // Under http.tls the gateway has no plain health endpoint the AppHost could probe, so
        // "healthy" only means started: wait until the TLS listener answers /v2/ (401: log in).
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync("v2/", timeout.Token);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (!timeout.IsCancellationRequested)
            {
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    private bool TrustedByTestAuthority(X509Certificate? presented)
    {
        if (presented is null || _serverAuthority is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_serverAuthority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }

    /// <summary>
    /// dockerd takes a registry's CA only from <c>/etc/docker/certs.d/&lt;host:port&gt;/ca.crt</c>
    /// (no flag moves that directory), so the fixture writes it there for its own port only and
    /// removes it afterwards. The engine gets no <c>--insecure-registry</c> of ours.
    /// </summary>
    private Task<DockerEngine> StartDockerAsync()
    {
        const string certsD = "/etc/docker/certs.d";
        _createdCertsD = !Directory.Exists(certsD);
        _dockerCertificates = Path.Combine(certsD, Address);
        Directory.CreateDirectory(_dockerCertificates);
        File.WriteAllText(Path.Combine(_dockerCertificates, "ca.crt"), _serverAuthority!.ExportCertificatePem() + "\n");
        return DockerEngine.StartAsync([], CancellationToken.None);
    }

    private void RemoveDockerTrust()
    {
        if (_dockerCertificates is not null && Directory.Exists(_dockerCertificates))
        {
            Directory.Delete(_dockerCertificates, recursive: true);
            var certsD = Path.GetDirectoryName(_dockerCertificates)!;
            try
            {
                if (_createdCertsD && !Directory.EnumerateFileSystemEntries(certsD).Any())
                {
                    Directory.Delete(certsD);
                }
            }
            catch (IOException)
            {
                // The other security collection's engine put its port's directory there meanwhile.
            }
        }
    }
}


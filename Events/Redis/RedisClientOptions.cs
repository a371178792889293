using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RegistryCloud.Configuration;
using StackExchange.Redis;

namespace RegistryCloud.Events.Redis;

/// <summary>
/// The registry configuration's <c>redis</c> section as StackExchange.Redis options: the one place
/// every service's connection is described. The TLS files are read when this is made, at start-up,
/// so a missing or bad certificate, key or CA stops the service with the key that named it.
/// </summary>
/// <remarks>
/// go-redis' <c>readtimeout</c> and <c>writetimeout</c> bound each socket read and write; the
/// multiplexed client has one bound, on a command's answer, so it gets the larger of the two. It is
/// what bounds a request against a Redis that hangs (paused, overloaded): the client looks for
/// timed-out commands once a second, so a bound under a second may take up to two.
/// <c>mastername</c> makes the addresses sentinels, which the client asks for the primary.
/// </remarks>
public sealed class RedisClientOptions
{
    private readonly RedisConfiguration _redis;
    private readonly X509Certificate2? _clientCertificate;
    private readonly X509Certificate2Collection? _rootCas;

    private RedisClientOptions(RedisConfiguration redis, X509Certificate2? clientCertificate, X509Certificate2Collection? rootCas)
    {
        _redis = redis;
        _clientCertificate = clientCertificate;
        _rootCas = rootCas;
    }

    /// <summary>The client certificate for mutual TLS, when <c>redis.tls.certificate</c> names one.</summary>
    public X509Certificate2? ClientCertificate => _clientCertificate;

    /// <summary>The only CAs trusted for the server's certificate, when <c>redis.tls.rootcas</c> names them.</summary>
    public X509Certificate2Collection? RootCas => _rootCas;

    /// <summary>Reads the TLS files <paramref name="redis"/> names; throws <see cref="RegistryConfigurationException"/> naming the key of a bad one.</summary>
    public static RedisClientOptions Load(RedisConfiguration redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        if (!redis.Tls.Enabled)
        {
            return new RedisClientOptions(redis, null, null);
        }

        var certificate = redis.Tls.Certificate is { } certificatePath && redis.Tls.Key is { } keyPath
            ? LoadClientCertificate(certificatePath, keyPath)
            : null;
        var rootCas = redis.Tls.RootCas.Count > 0 ? LoadRootCas(redis.Tls.RootCas) : null;
        return new RedisClientOptions(redis, certificate, rootCas);
    }

    /// <summary>
    /// Sets what the section says on <paramref name="options"/> (which may come from a connection
    /// string): the section's addresses replace the string's; what the section leaves unset keeps
    /// the string's value (a password the AppHost's own Redis was given, say).
    /// </summary>
    public void ApplyTo(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EndPoints.Clear();
        foreach (var address in _redis.Addrs)
        {
            // go-redis reads ":6379" as localhost:6379; StackExchange.Redis needs the host.
            options.EndPoints.Add(address.StartsWith(':') ? "localhost" + address : address);
        }

        options.ServiceName = _redis.MasterName ?? options.ServiceName;
        options.User = _redis.Username ?? options.User;
        options.Password = _redis.Password ?? options.Password;
        options.DefaultDatabase = _redis.Db;
        if (Milliseconds(_redis.DialTimeout) is { } connect)
        {
            options.ConnectTimeout = connect;
        }

        if (Milliseconds(Max(_redis.ReadTimeout, _redis.WriteTimeout)) is { } command)
        {
            options.SyncTimeout = command;
            options.AsyncTimeout = command;
        }

        // A lost connection is tried again every 0.5-2 s, however long Redis was away: the
        // library's default backs off to 5-10 s, and while a service is disconnected it refuses
        // every change (docs/design.md, "Redis down"), so replicas recovered seconds apart.
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 500, maxDeltaBackOffMilliseconds: 2000);

        if (!_redis.Tls.Enabled)
        {
            return;
        }

        options.Ssl = true;
        if (_clientCertificate is { } certificate)
        {
            options.CertificateSelection += (_, _, _, _, _) => certificate;
        }

        if (_rootCas is { } rootCas)
        {
            options.CertificateValidation += (_, presented, chain, errors) => IsTrusted(rootCas, presented, chain, errors);
        }
    }

    /// <summary>
    /// True when <paramref name="presented"/> names the host and chains to one of
    /// <paramref name="rootCas"/>: exactly those CAs, not the machine's store as well.
    /// </summary>
    internal static bool IsTrusted(X509Certificate2Collection rootCas, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(rootCas);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates the server sent along.
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (presented is X509Certificate2 leaf)
        {
            return custom.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return custom.Build(copy);
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePath, string keyPath)
    {
        var certificateText = ReadFile("redis.tls.certificate", certificatePath);
        var keyText = ReadFile("redis.tls.key", keyPath);
        try
        {
            using var pem = X509Certificate2.CreateFromPem(certificateText, keyText);

            // A PEM-made certificate's key is ephemeral; TLS client authentication wants one it can persist.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new RegistryConfigurationException(
                $"redis.tls.key: '{keyPath}' and redis.tls.certificate '{certificatePath}' do not make a client certificate ({e.Message})", e);
        }
    }

    private static X509Certificate2Collection LoadRootCas(IReadOnlyList<string> paths)
    {
        var rootCas = new X509Certificate2Collection();
        for (var i = 0; i < paths.Count; i++)
        {
            var key = $"redis.tls.rootcas[{i}]";
            var text = ReadFile(key, paths[i]);
            var before = rootCas.Count;
            try
            {
                rootCas.ImportFromPem(text);
            }
            catch (CryptographicException e)
            {
                throw new RegistryConfigurationException($"{key}: '{paths[i]}' is not a PEM certificate ({e.Message})", e);
            }

            if (rootCas.Count == before)
            {
                throw new RegistryConfigurationException($"{key}: '{paths[i]}' holds no PEM certificate");
            }
        }

        return rootCas;
    }

    private static string ReadFile(string key, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistryConfigurationException($"{key}: cannot read '{path}' ({e.Message})", e);
        }
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    // Zero or less is go-redis' "default" (or "none"): the client's own default applies.
    private static int? Milliseconds(TimeSpan? timeout) =>
        timeout is { } value && value > TimeSpan.Zero ? (int)Math.Clamp(Math.Ceiling(value.TotalMilliseconds), 1, int.MaxValue) : null;
}

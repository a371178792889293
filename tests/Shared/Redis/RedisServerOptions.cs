using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCloud.Tests.Shared;

/// <summary>How a <see cref="RedisServer"/> of a test's own guards itself.</summary>
public sealed record RedisServerOptions
{
    /// <summary><c>requirepass</c>: the default user's password; null lets anyone in.</summary>
    public string? Password { get; init; }

    /// <summary>An ACL user allowed every key and command, with its password.</summary>
    public (string Name, string Password)? AclUser { get; init; }

    /// <summary>TLS only: no plain port.</summary>
    public RedisServerTls? Tls { get; init; }

    /// <summary>A sentinel (<c>redis-server --sentinel</c>) rather than a server.</summary>
    public RedisSentinel? Sentinel { get; init; }

    internal IEnumerable<string> Arguments(int port)
    {
        if (Tls is { } tls)
        {
            yield return "--port";
            yield return "0";
            yield return "--tls-port";
            yield return port.ToString(CultureInfo.InvariantCulture);
            yield return "--tls-cert-file";
            yield return tls.CertificateFile;
            yield return "--tls-key-file";
            yield return tls.KeyFile;
            yield return "--tls-ca-cert-file";
            yield return tls.ClientCaFile;
            yield return "--tls-auth-clients";
            yield return tls.AuthClients ? "yes" : "no";
        }
        else
        {
            yield return "--port";
            yield return port.ToString(CultureInfo.InvariantCulture);
        }

        if (Password is { } password)
        {
            yield return "--requirepass";
            yield return password;
        }

        if (AclUser is { } user)
        {
            // One config line: user <name> on >password ~* &* +@all
            foreach (var word in new[] { "--user", user.Name, "on", ">" + user.Password, "~*", "&*", "+@all" })
            {
                yield return word;
            }
        }
    }
}

/// <summary>
/// The TLS side of a <see cref="RedisServer"/>: its certificate and key files, the CA file it
/// verifies client certificates against, whether it demands one, and the certificate its own
/// admin connection presents.
/// </summary>
public sealed record RedisServerTls(string CertificateFile, string KeyFile, string ClientCaFile, bool AuthClients, X509Certificate2? AdminCertificate);

/// <summary>
/// A sentinel watching one primary under <paramref name="MasterName"/>; its config file (which a
/// sentinel rewrites, so it must be its own and writable) goes in <paramref name="Directory"/>.
/// </summary>
public sealed record RedisSentinel(string MasterName, RedisServer Primary, string Directory)
{
    internal string ConfigFile
    {
        get
        {
            var path = System.IO.Path.Combine(Directory, $"sentinel-{Guid.NewGuid():N}.conf");
            File.WriteAllText(path, $"sentinel monitor {MasterName} 127.0.0.1 {Primary.Port} 1\n");
            return path;
        }
    }
}

using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>htpasswd lines, edits to the file, and Basic credentials.</summary>
internal static class Htpasswd
{
    /// <summary>A bcrypt entry at the lowest work factor, so tests stay fast.</summary>
    public static string Bcrypt(string user, string password) => $"{user}:{BCrypt.Net.BCrypt.HashPassword(password, workFactor: 4)}";

    /// <summary>Apache's <c>{SHA}</c> entry: base64 of the password's SHA-1.</summary>
    public static string Sha1(string user, string password) =>
        $"{user}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(password)))}";

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>
    /// Replaces the file's lines and moves its modification time two seconds on: the kernel's
    /// file clock ticks coarsely, so two writes a test makes within a millisecond could otherwise
    /// carry one timestamp, while edits made by people are seconds apart.
    /// </summary>
    public static void Rewrite(string path, params string[] lines)
    {
        var before = File.GetLastWriteTimeUtc(path);
        File.WriteAllLines(path, lines);
        if (File.GetLastWriteTimeUtc(path) < before.AddSeconds(2))
        {
            File.SetLastWriteTimeUtc(path, before.AddSeconds(2));
        }
    }
}

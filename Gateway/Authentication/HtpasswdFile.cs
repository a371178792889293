using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RegistryCloud.Gateway.Authentication;

/// <summary>
/// The users of an htpasswd file (<c>auth.htpasswd.path</c>). Only bcrypt entries
/// (<c>$2y$</c>, <c>$2a$</c>, <c>$2b$</c>) are accepted, as in Distribution; the file is re-read when
/// it changes, checked at most once a second. bcrypt is slow on purpose, so a successful check is
/// remembered for a while under a SHA-256 of the credentials (never the password itself) and
/// forgotten when the file changes. A name that is not in the file is checked against a decoy hash
/// of the file's cost, so how long a refusal takes does not tell which users exist.
/// </summary>
/// <param name="verify">The bcrypt check (password, hash); tests watch it.</param>
internal sealed partial class HtpasswdFile(
    string path, TimeProvider time, ILogger<HtpasswdFile> logger, string settingKey = "auth.htpasswd.path", Func<string, string, bool>? verify = null)
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan VerifiedLifetime = TimeSpan.FromMinutes(5);
    private const int MaxVerified = 10_000;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);
    private readonly Func<string, string, bool> _verify = verify ?? ((password, hash) => BCrypt.Net.BCrypt.Verify(password, hash));
    private Dictionary<string, string> _users = new(StringComparer.Ordinal);
    private string _decoy = "";
    private DateTime _loadedWriteTime = DateTime.MinValue;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public string Path => path;

    /// <summary>Reads the file now; throws with the path in the message when it cannot be read.</summary>
    public void Load()
    {
        lock (_gate)
        {
            ReloadLocked(force: true);
        }
    }

    /// <summary>
    /// <see cref="Verify"/> without bcrypt on the caller's thread: a success remembered from the
    /// last minutes answers at once; a check, or a reload of a changed file (which hashes a new
    /// decoy), runs on the thread pool. The gateway may handle requests on the socket engine's
    /// thread (object storage), where bcrypt, slow on purpose, would stall every other connection.
    /// </summary>
    public Task<bool> VerifyAsync(string user, string password) =>
        IsRemembered(user, password) ? Task.FromResult(true) : Task.Run(() => Verify(user, password));

    public bool Verify(string user, string password)
    {
        var users = Current();
        var hash = users.GetValueOrDefault(user);
        if (hash is null)
        {
            // As long as a wrong password of a real user takes.
            Check(password, _decoy);
            return false;
        }

        var key = RememberedKey(user, password, hash);
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(key, out var until) && until > now)
        {
            return true;
        }

        var ok = Check(password, hash);
        if (ok)
        {
            if (_verified.Count >= MaxVerified)
            {
                _verified.Clear();
            }

            _verified[key] = now + VerifiedLifetime;
        }

        return ok;
    }

    private bool IsRemembered(string user, string password)
    {
        var now = time.GetUtcNow();
        if (now - _checkedAt >= RecheckInterval)
        {
            // The file is due a look (and perhaps a reload): not on the caller's thread.
            return false;
        }

        return _users.GetValueOrDefault(user) is { } hash
            && _verified.TryGetValue(RememberedKey(user, password, hash), out var until)
            && until > now;
    }

    private static string RememberedKey(string user, string password, string hash) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password + "\0" + hash)));

    private bool Check(string password, string hash)
    {
        try
        {
            return _verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    private Dictionary<string, string> Current()
    {
        var now = time.GetUtcNow();
        if (now - _checkedAt < RecheckInterval)
        {
            return _users;
        }

        lock (_gate)
        {
            if (now - _checkedAt >= RecheckInterval)
            {
                try
                {
                    ReloadLocked(force: false);
                }
                catch (IOException e)
                {
                    // Keep serving the last good file; say why the new one was not taken.
                    LogReloadFailed(logger, path, e.Message);
                }

                _checkedAt = now;
            }

            return _users;
        }
    }

    private void ReloadLocked(bool force)
    {
        var writeTime = File.GetLastWriteTimeUtc(path);
        if (!force && writeTime == _loadedWriteTime)
        {
            return;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new IOException($"{settingKey}: cannot read '{path}': {e.Message}", e);
        }

        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var hash = colon > 0 ? line[(colon + 1)..] : "";
            if (!IsBcrypt(hash))
            {
                LogSkippedEntry(logger, path, i + 1);
                continue;
            }

            users[line[..colon]] = hash;
        }

        _users = users;
        _decoy = Decoy(users.Values.FirstOrDefault());
        _loadedWriteTime = writeTime;
        _verified.Clear();
        LogLoaded(logger, path, users.Count);
    }

    /// <summary>A bcrypt hash of nobody's password at the cost of <paramref name="sample"/> (10 without one).</summary>
    private static string Decoy(string? sample)
    {
        var cost = sample is { Length: > 6 } && int.TryParse(sample.AsSpan(4, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            && parsed is >= 4 and <= 31
            ? parsed
            : 10;
        return BCrypt.Net.BCrypt.HashPassword(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), cost);
    }

    private static bool IsBcrypt(string hash) =>
        hash.StartsWith("$2y$", StringComparison.Ordinal)
        || hash.StartsWith("$2a$", StringComparison.Ordinal)
        || hash.StartsWith("$2b$", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} users from {Path}")]
    private static partial void LogLoaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} line {Line}: not a bcrypt entry (user:$2y$...); skipped")]
    private static partial void LogSkippedEntry(ILogger logger, string path, int line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read {Path}, keeping the previous users: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string reason);
}

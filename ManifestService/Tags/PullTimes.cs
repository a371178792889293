using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using RegistryCloud.Configuration;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.ManifestService.Tags;

/// <summary>
/// Records when tags and manifests are pulled, for <c>policies.retention</c>'s
/// <c>keeppulledwithin</c>: only in repositories such a rule covers, at most once per
/// <see cref="Interval"/> per tag or manifest and process, and after the answer, so a pull never
/// waits for the write. A record that could not be written is logged; the next pull writes it.
/// </summary>
internal sealed partial class PullTimes
{
    private const int MaxRemembered = 100_000;

    private readonly IStorageDriver _driver;
    private readonly TimeProvider _time;
    private readonly ILogger<PullTimes> _logger;
    private readonly RepositoryGlob[] _repositories;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new(StringComparer.Ordinal);

    public PullTimes(IStorageDriver driver, RegistryConfiguration configuration, TimeProvider time, ILogger<PullTimes> logger)
    {
        _driver = driver;
        _time = time;
        _logger = logger;
        var rules = configuration.Policies.Retention.Where(rule => rule.KeepPulledWithin is not null).ToList();
        _repositories = [.. rules.Select(rule => new RepositoryGlob(rule.Repository))];

        // Fine enough for the shortest window, and no finer than a minute.
        var shortest = rules.Select(rule => rule.KeepPulledWithin!.Value).DefaultIfEmpty(TimeSpan.FromDays(10)).Min();
        Interval = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 10, TimeSpan.FromMinutes(1).Ticks, TimeSpan.FromHours(1).Ticks));
    }

    /// <summary>How stale a record may be: a tenth of the shortest <c>keeppulledwithin</c>, between a minute and an hour.</summary>
    public TimeSpan Interval { get; }

    public void Record(string repository, string? tag, Digest digest)
    {
        if (!_repositories.Any(glob => glob.IsMatch(repository)))
        {
            return;
        }

        if (tag is not null)
        {
            Write(RegistryPaths.TagPulledAt(repository, tag));
        }

        Write(RegistryPaths.RevisionPulledAt(repository, digest));
    }

    private void Write(string path)
    {
        var now = _time.GetUtcNow();
        if (_written.TryGetValue(path, out var last) && now - last < Interval)
        {
            return;
        }

        if (_written.Count >= MaxRemembered)
        {
            _written.Clear();
        }

        _written[path] = now;
        _ = WriteAsync(path, now);
    }

    private async Task WriteAsync(string path, DateTimeOffset now)
    {
        try
        {
            await Task.Yield();
            await _driver.PutContentAsync(path, Encoding.ASCII.GetBytes(now.ToString("O", CultureInfo.InvariantCulture)), CancellationToken.None);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _written.TryRemove(path, out _);
            LogFailed(_logger, path, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record a pull at {Path}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string path, string reason);
}

using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// The current value of <c>storage.maintenance.readonly.enabled</c>. When the configuration came
/// from a file, a write request looks at the file's modification time at most once a second and,
/// when it changed, reads the file again with the same <c>REGISTRY_*</c> overrides as at start-up
/// — so an override still wins over the file. Checking on the request path, rather than on a
/// timer, costs one stat a second while writes arrive and nothing while none do; the new value
/// applies from the first write after the edit. A file that no longer reads keeps the last value.
/// </summary>
internal sealed partial class ReadOnlyModeSwitch(
    bool enabled,
    string? configurationPath,
    IReadOnlyDictionary<string, string?> overrides,
    TimeProvider time,
    ILogger<ReadOnlyModeSwitch> logger)
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private volatile bool _enabled = enabled;
    private DateTime _seenWriteTime = WriteTime(configurationPath);
    private DateTimeOffset _checkedAt = time.GetUtcNow();

    public bool IsEnabled()
    {
        if (configurationPath is not null)
        {
            Recheck();
        }

        return _enabled;
    }

    private void Recheck()
    {
        var now = time.GetUtcNow();
        if (now - _checkedAt < RecheckInterval || !_gate.TryEnter())
        {
            return;
        }

        try
        {
            _checkedAt = now;
            var writeTime = WriteTime(configurationPath);
            if (writeTime == _seenWriteTime)
            {
                return;
            }

            _seenWriteTime = writeTime;
            bool next;
            try
            {
                next = RegistryConfigurationLoader.Load(configurationPath, overrides).Configuration.Storage.ReadOnly;
            }
            catch (Exception e) when (e is RegistryConfigurationException or IOException or UnauthorizedAccessException)
            {
                LogUnreadable(logger, configurationPath!, _enabled, e.Message);
                return;
            }

            if (next != _enabled)
            {
                _enabled = next;
                LogSwitched(logger, next ? "on" : "off", configurationPath!);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    private static DateTime WriteTime(string? path) =>
        path is not null && File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read-only mode switched {State} (storage.maintenance.readonly.enabled in {Path})")]
    private static partial void LogSwitched(ILogger logger, string state, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration {Path} changed but cannot be read; read-only mode stays {Enabled}: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string path, bool enabled, string problem);
}

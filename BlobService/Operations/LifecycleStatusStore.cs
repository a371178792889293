using System.Text.Json;
using RegistryCloud.Events.Redis;
using StackExchange.Redis;

namespace RegistryCloud.BlobService.Operations;

/// <summary>
/// The last collection and the last storage count, where every replica reads them: in Redis when
/// the service has one (whichever replica ran, any answers the same), else in this process. Each
/// record is also kept here, so a replica whose Redis does not answer still reports what it knows
/// itself. Status is a courtesy: a write or read Redis refuses is skipped, never an error.
/// </summary>
internal sealed partial class LifecycleStatusStore(ILogger<LifecycleStatusStore> logger, IConnectionMultiplexer? redis = null)
{
    public const string LastRunKey = "registry:status:gc";
    public const string StorageKey = "registry:status:storage";

    private GcRun? _lastRun;
    private StorageUsed? _storage;

    public async Task RecordRunAsync(GcRun run)
    {
        _lastRun = run;
        await WriteAsync(LastRunKey, JsonSerializer.Serialize(run, StatusJsonContext.Default.GcRun));
    }

    public async Task RecordStorageAsync(StorageUsed storage)
    {
        _storage = storage;
        await WriteAsync(StorageKey, JsonSerializer.Serialize(storage, StatusJsonContext.Default.StorageUsed));
    }

    public async Task<GcRun?> LastRunAsync() =>
        await ReadAsync(LastRunKey) is { } json ? JsonSerializer.Deserialize(json, StatusJsonContext.Default.GcRun) : _lastRun;

    public async Task<StorageUsed?> StorageAsync() =>
        await ReadAsync(StorageKey) is { } json ? JsonSerializer.Deserialize(json, StatusJsonContext.Default.StorageUsed) : _storage;

    private async Task WriteAsync(string key, string json)
    {
        if (redis is null || !redis.IsConnected)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().StringSetAsync(key, json);
        }
        catch (Exception e) when (RedisFailure.IsUnavailable(e))
        {
            LogUnavailable(logger, key, e.Message);
        }
    }

    private async Task<string?> ReadAsync(string key)
    {
        if (redis is null || !redis.IsConnected)
        {
            return null;
        }

        try
        {
            return await redis.GetDatabase().StringGetAsync(key) is { HasValue: true } value ? value.ToString() : null;
        }
        catch (Exception e) when (RedisFailure.IsUnavailable(e))
        {
            LogUnavailable(logger, key, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Status record {Key} not shared through Redis: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string key, string reason);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Reporting;

/// <summary>The machine-readable result file of one run against one registry.</summary>
internal sealed record BenchRun(
    string Label,
    string? Url,
    int Round,
    ulong Seed,
    DateTimeOffset StartedAt,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<WorkloadResult> Results)
{
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, BenchRunJson.Default.BenchRun, cancellationToken);
    }

    public static async Task<BenchRun> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(file, BenchRunJson.Default.BenchRun, cancellationToken)
            ?? throw new InvalidDataException($"{path} holds no benchmark run.");
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BenchRun))]
internal sealed partial class BenchRunJson : JsonSerializerContext;

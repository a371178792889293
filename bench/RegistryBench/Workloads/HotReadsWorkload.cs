using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// Workload 4: <c>HEAD</c> of a blob and <c>GET</c> of a manifest by tag from concurrent
/// clients, for <c>--reads-seconds</c> each (or <c>--reads-count</c> operations).
/// </summary>
internal sealed class HotReadsWorkload : IWorkload
{
    private const string Tag = "latest";

    public string Name => "reads";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var repository = context.Repository("reads");
        var client = context.Client;
        var fixture = await ImageFixture.PushAsync(context, repository, cancellationToken);
        var manifest = fixture.Manifest();
        await client.PutManifestAsync(repository, Tag, manifest, Http.RegistryClient.OciManifest, cancellationToken);

        var head = await MeasureAsync(context, "blob-head", async ct =>
        {
            if (!await client.BlobExistsAsync(repository, fixture.Layer.Digest, ct))
            {
                throw new InvalidOperationException("HEAD answered 404 for a pushed blob");
            }
        }, 0, cancellationToken);

        var get = await MeasureAsync(context, "manifest-get", async ct =>
        {
            var body = await client.GetManifestAsync(repository, Tag, ct);
            if (body.Length != manifest.Length)
            {
                throw new InvalidOperationException($"GET manifest answered {body.Length} bytes, not {manifest.Length}");
            }
        }, manifest.Length, cancellationToken);

        return [head, get];
    }

    private async Task<WorkloadResult> MeasureAsync(
        WorkloadContext context, string name, Func<CancellationToken, Task> operation, long bytesEach, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var latency = new LatencyRecorder();
        var errors = new ErrorTally();
        var elapsed = options.ReadsCount is { } count
            ? await LoadRunner.ForCountAsync(count, options.Concurrency, (_, ct) => operation(ct), latency, errors, cancellationToken)
            : await LoadRunner.ForDurationAsync(TimeSpan.FromSeconds(options.ReadsSeconds), options.Concurrency, operation, latency, errors, cancellationToken);
        var done = latency.Count;
        return WorkloadResult.ForOperations(Name, name, done, done * bytesEach, elapsed, latency.Summarize(), errors);
    }
}

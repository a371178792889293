using System.Diagnostics;
using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// One blob of <c>--blob-size</c> pushed monolithically (POST, then PUT with the body), its bytes
/// generated as they are sent, so that a 4 GiB push needs no 4 GiB anywhere on the client. The
/// memory benchmark (<c>bench/memory.sh</c>) watches the server's RSS while this runs.
/// </summary>
internal sealed class MonolithicPushWorkload : IWorkload
{
    public string Name => "monolithic";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var size = context.Options.BlobSize;
        var source = new BlobSource(context.SeedFor(ContentPurpose.MonolithicBlob, 1), size);
        // The digest is computed before the clock starts: the PUT must name it.
        var digest = source.ComputeDigest();
        var latency = new LatencyRecorder();
        var errors = new ErrorTally();
        var start = Stopwatch.GetTimestamp();
        try
        {
            await context.Client.PushBlobAsync(context.Repository("monolithic"), source, digest, cancellationToken);
            latency.RecordSince(start);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(e);
        }

        return [WorkloadResult.ForBytes(Name, "blob-push-monolithic", errors.Count == 0 ? size : 0, 1, Stopwatch.GetElapsedTime(start), latency.Summarize(), errors)];
    }
}

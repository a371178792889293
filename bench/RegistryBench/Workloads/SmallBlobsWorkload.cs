using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>Workload 3: many small blobs (default 2,000 of 4 KiB), each POST then PUT, from concurrent clients.</summary>
internal sealed class SmallBlobsWorkload : IWorkload
{
    public string Name => "small";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var repository = context.Repository("small");
        var blobs = new (BlobSource Source, BlobDigest Digest)[options.SmallCount];
        for (var i = 0; i < blobs.Length; i++)
        {
            var source = new BlobSource(context.SeedFor(ContentPurpose.SmallBlob, i), options.SmallSize);
            blobs[i] = (source, source.ComputeDigest());
        }

        var latency = new LatencyRecorder();
        var errors = new ErrorTally();
        var elapsed = await LoadRunner.ForCountAsync(
            blobs.Length,
            options.Concurrency,
            (i, ct) => context.Client.PushBlobAsync(repository, blobs[i].Source, blobs[i].Digest, ct),
            latency,
            errors,
            cancellationToken);

        var pushed = latency.Count;
        return [WorkloadResult.ForOperations(Name, "small-blob-push", pushed, pushed * options.SmallSize, elapsed, latency.Summarize(), errors)];
    }
}

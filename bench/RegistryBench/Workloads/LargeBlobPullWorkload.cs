using System.Diagnostics;
using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// Workload 2: the monolithic blob of workload 1 pulled <c>--pull-repeat</c> times, each pull's
/// digest verified as it streams. Pushes the blob first, untimed, when it is not there yet.
/// </summary>
internal sealed class LargeBlobPullWorkload : IWorkload
{
    public string Name => "pull";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var size = context.Options.BlobSize;
        var repository = context.Repository("large");
        var client = context.Client;
        var source = new BlobSource(context.SeedFor(ContentPurpose.MonolithicBlob, 0), size);
        var digest = source.ComputeDigest();
        if (!await client.BlobExistsAsync(repository, digest, cancellationToken))
        {
            await context.Log.WriteLineAsync($"  pull: pushing the {SizeText.Format(size)} blob first (untimed)");
            await client.PushBlobAsync(repository, source, digest, cancellationToken);
        }

        var latency = new LatencyRecorder();
        var errors = new ErrorTally();
        long bytes = 0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < context.Options.PullRepeat; i++)
        {
            var begun = Stopwatch.GetTimestamp();
            try
            {
                var result = await client.PullBlobAsync(repository, digest, size, cancellationToken);
                if (!result.Matches)
                {
                    errors.Add($"pull {i}: {result.Describe()}");
                    continue;
                }

                latency.RecordSince(begun);
                bytes += result.Bytes;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add(e);
            }
        }

        return [WorkloadResult.ForBytes(Name, "blob-pull", bytes, context.Options.PullRepeat, Stopwatch.GetElapsedTime(start), latency.Summarize(), errors)];
    }
}

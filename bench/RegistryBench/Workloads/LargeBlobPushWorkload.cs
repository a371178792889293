using System.Diagnostics;
using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// Workload 1: one large blob pushed monolithically (POST, then PUT with the body) and another
/// of the same size in chunks (PATCH with <c>Content-Range</c> per chunk, then PUT).
/// </summary>
internal sealed class LargeBlobPushWorkload : IWorkload
{
    public string Name => "push";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var size = context.Options.BlobSize;
        var repository = context.Repository("large");
        var client = context.Client;

        var monolithic = new BlobSource(context.SeedFor(ContentPurpose.MonolithicBlob, 0), size);
        var monolithicDigest = monolithic.ComputeDigest();
        var latency = new LatencyRecorder();
        var errors = new ErrorTally();
        var start = Stopwatch.GetTimestamp();
        try
        {
            await client.PushBlobAsync(repository, monolithic, monolithicDigest, cancellationToken);
            latency.RecordSince(start);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(e);
        }

        var first = WorkloadResult.ForBytes(Name, "blob-push-monolithic", errors.Count == 0 ? size : 0, 1, Stopwatch.GetElapsedTime(start), latency.Summarize(), errors);

        var chunked = new BlobSource(context.SeedFor(ContentPurpose.ChunkedBlob, 0), size);
        var chunkedDigest = chunked.ComputeDigest();
        var chunks = ChunkPlan.Split(size, context.Options.ChunkSize);
        var chunkLatency = new LatencyRecorder();
        var chunkErrors = new ErrorTally();
        start = Stopwatch.GetTimestamp();
        try
        {
            var location = await client.StartUploadAsync(repository, cancellationToken);
            foreach (var chunk in chunks)
            {
                var begun = Stopwatch.GetTimestamp();
                location = await client.PatchAsync(location, new GeneratedContent(chunked, chunk.Offset, chunk.Length), chunk.ContentRange, cancellationToken);
                chunkLatency.RecordSince(begun);
            }

            await client.CompleteUploadAsync(location, chunkedDigest, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            chunkErrors.Add(e);
        }

        var second = WorkloadResult.ForBytes(Name, "blob-push-chunked", chunkErrors.Count == 0 ? size : 0, chunks.Count, Stopwatch.GetElapsedTime(start), chunkLatency.Summarize(), chunkErrors);
        return [first, second];
    }
}

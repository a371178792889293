using System.Diagnostics;
using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Http;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// Workload 6: an image of <c>--layers</c> layers (sizes spread geometrically from
/// <c>--layer-min</c> to <c>--layer-max</c>) pushed, then pulled, with <c>--parallel</c> layers in
/// flight as docker does (max-concurrent-downloads 3). Each layer goes as docker sends it:
/// HEAD, POST, one PATCH with the whole layer, PUT ?digest=.
/// </summary>
internal sealed class ImageWorkload : IWorkload
{
    private const string Tag = "v1";

    public string Name => "image";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var repository = context.Repository("image");
        var client = context.Client;
        var sizes = LayerSizes(options.Layers, options.LayerMin, options.LayerMax);
        var layers = new (BlobSource Source, Descriptor Descriptor)[sizes.Count];
        for (var i = 0; i < layers.Length; i++)
        {
            var source = new BlobSource(context.SeedFor(ContentPurpose.ImageLayer, i), sizes[i]);
            layers[i] = (source, new Descriptor(ImageManifest.LayerMediaType, source.ComputeDigest(), sizes[i]));
        }

        var total = sizes.Sum();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = cancellationToken };

        var pushLatency = new LatencyRecorder();
        var pushErrors = new ErrorTally();
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(layers, parallel, async (layer, ct) =>
        {
            var begun = Stopwatch.GetTimestamp();
            try
            {
                if (!await client.BlobExistsAsync(repository, layer.Descriptor.Digest, ct))
                {
                    var location = await client.StartUploadAsync(repository, ct);
                    location = await client.PatchAsync(location, new GeneratedContent(layer.Source), contentRange: null, ct);
                    await client.CompleteUploadAsync(location, layer.Descriptor.Digest, ct);
                }

                pushLatency.RecordSince(begun);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                pushErrors.Add(e);
            }
        });

        var configBytes = ImageManifest.Config(layers.Select(l => l.Descriptor.Digest));
        var config = new Descriptor(ImageManifest.ConfigMediaType, BlobDigest.Compute(configBytes), configBytes.Length);
        try
        {
            var location = await client.StartUploadAsync(repository, cancellationToken);
            await client.PutBlobAsync(location, config.Digest, new ByteArrayContent(configBytes), cancellationToken);
            await client.PutManifestAsync(repository, Tag, ImageManifest.Build(config, layers.Select(l => l.Descriptor)), RegistryClient.OciManifest, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            pushErrors.Add(e);
        }

        var push = WorkloadResult.ForBytes(Name, "image-push", pushErrors.Count == 0 ? total : 0, layers.Length, Stopwatch.GetElapsedTime(start), pushLatency.Summarize(), pushErrors);
        return [push, await PullAsync(client, repository, total, parallel, cancellationToken)];
    }

    private async Task<WorkloadResult> PullAsync(RegistryClient client, string repository, long total, ParallelOptions parallel, CancellationToken cancellationToken)
    {
        var latency = new LatencyRecorder();
        var errors = new ErrorTally();
        long pulled = 0;
        var start = Stopwatch.GetTimestamp();
        try
        {
            var (config, layers) = ImageManifest.Read(await client.GetManifestAsync(repository, Tag, cancellationToken));
            var configResult = await client.PullBlobAsync(repository, config.Digest, config.Size, cancellationToken);
            if (!configResult.Matches)
            {
                errors.Add("config: " + configResult.Describe());
            }

            await Parallel.ForEachAsync(layers, parallel, async (layer, ct) =>
            {
                var begun = Stopwatch.GetTimestamp();
                try
                {
                    var result = await client.PullBlobAsync(repository, layer.Digest, layer.Size, ct);
                    if (!result.Matches)
                    {
                        errors.Add(result.Describe());
                        return;
                    }

                    latency.RecordSince(begun);
                    Interlocked.Add(ref pulled, result.Bytes);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    errors.Add(e);
                }
            });
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(e);
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return WorkloadResult.ForBytes(Name, "image-pull", errors.Count == 0 ? pulled : 0, latency.Count, elapsed, latency.Summarize(), errors);
    }

    /// <summary>
    /// <paramref name="count"/> sizes from <paramref name="min"/> to <paramref name="max"/> in
    /// equal ratios (1 MiB to 64 MiB over 10 layers: 1, 1.6, 2.5, 4, 6.3, 10, 16, 25, 40, 64 MiB),
    /// rounded to whole KiB; the first is exactly min and the last exactly max.
    /// </summary>
    internal static IReadOnlyList<long> LayerSizes(int count, long min, long max)
    {
        var sizes = new long[count];
        for (var i = 0; i < count; i++)
        {
            var fraction = count == 1 ? 1.0 : (double)i / (count - 1);
            var size = min * Math.Pow((double)max / min, fraction);
            sizes[i] = i == 0 ? min : i == count - 1 ? max : Math.Max(1, (long)Math.Round(size / 1024)) * 1024;
        }

        return sizes;
    }
}

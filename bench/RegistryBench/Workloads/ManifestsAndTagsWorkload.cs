using System.Diagnostics;
using RegistryCloud.Bench.Http;
using RegistryCloud.Bench.Measurement;
using RegistryCloud.Bench.Content;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// Workload 5: distinct manifests pushed by digest (default 200), then tags pushed as manifest
/// PUTs by tag (default 1,000), then the whole tag list read page by page (n=100), repeated.
/// </summary>
internal sealed class ManifestsAndTagsWorkload : IWorkload
{
    public string Name => "tags";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var repository = context.Repository("tags");
        var client = context.Client;
        var fixture = await ImageFixture.PushAsync(context, repository, cancellationToken);
        var manifests = new (byte[] Bytes, BlobDigest Digest)[options.Manifests];
        for (var i = 0; i < manifests.Length; i++)
        {
            var bytes = fixture.Manifest(i);
            manifests[i] = (bytes, BlobDigest.Compute(bytes));
        }

        var putLatency = new LatencyRecorder();
        var putErrors = new ErrorTally();
        var putElapsed = await LoadRunner.ForCountAsync(
            manifests.Length,
            options.Concurrency,
            (i, ct) => client.PutManifestAsync(repository, manifests[i].Digest.ToString(), manifests[i].Bytes, RegistryClient.OciManifest, ct),
            putLatency,
            putErrors,
            cancellationToken);

        var tagLatency = new LatencyRecorder();
        var tagErrors = new ErrorTally();
        var tagElapsed = await LoadRunner.ForCountAsync(
            options.Tags,
            options.Concurrency,
            (i, ct) => client.PutManifestAsync(repository, TagName(i), manifests[i % manifests.Length].Bytes, RegistryClient.OciManifest, ct),
            tagLatency,
            tagErrors,
            cancellationToken);

        var listLatency = new LatencyRecorder();
        var listErrors = new ErrorTally();
        var listStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < options.ListRepeat; i++)
        {
            var begun = Stopwatch.GetTimestamp();
            try
            {
                var (tags, pages) = await client.ListTagsAsync(repository, options.PageSize, cancellationToken);
                if (tags != options.Tags)
                {
                    listErrors.Add($"listed {tags} tags in {pages} pages, expected {options.Tags}");
                    continue;
                }

                listLatency.RecordSince(begun);
                if (i == 0)
                {
                    // Distribution 2.8 ignores n and answers every tag in one page; say which happened.
                    await context.Log.WriteLineAsync($"  tags: {tags} tags listed in {pages} page(s) of n={options.PageSize}");
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                listErrors.Add(e);
            }
        }

        var manifestBytes = manifests[0].Bytes.Length;
        return
        [
            WorkloadResult.ForOperations(Name, "manifest-put", putLatency.Count, putLatency.Count * manifestBytes, putElapsed, putLatency.Summarize(), putErrors),
            WorkloadResult.ForOperations(Name, "tag-put", tagLatency.Count, tagLatency.Count * manifestBytes, tagElapsed, tagLatency.Summarize(), tagErrors),
            WorkloadResult.ForOperations(Name, $"tags-list-{options.Tags}", listLatency.Count, 0, Stopwatch.GetElapsedTime(listStart), listLatency.Summarize(), listErrors),
        ];
    }

    /// <summary>Zero-padded, so lexical order (the order tags are listed in) is numeric order.</summary>
    internal static string TagName(int index) => "tag-" + index.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}

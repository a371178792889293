using System.Diagnostics;
using System.Globalization;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// <c>listings</c>: tag and catalog listings of a registry seeded with <c>listings-layout</c>
/// (repositories <c>listings/tags-N</c> of N tags, and <c>--catalog-size</c> repositories in all).
/// For each tag count: single pages of n=<c>--page-size</c> after a random tag (what one page
/// costs at that size), the whole list in such pages followed through <c>Link</c>, and the whole
/// list asked for without <c>n</c> (one answer from both registries; a <c>Link</c> would be followed). For the catalog: the
/// first page (n=100), and the whole catalog in pages of 1,000. Each listing is read once,
/// uncounted, before it is measured: that first read (which builds RegistryCloud's index of a
/// seeded layout) is logged with its time.
/// </summary>
internal sealed class ListingsWorkload : IWorkload
{
    private const int SinglePages = 100;
    private const int CatalogFirstPages = 20;
    private const int CatalogPageSize = 1000;

    public string Name => "listings";

    public async Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var client = context.Client;
        var results = new List<WorkloadResult>();
        foreach (var count in options.ListingTags)
        {
            var repository = TagsRepository(count);
            await FirstReadAsync(context, $"tags of {repository}", () => client.ListTagsAsync(repository, options.PageSize, cancellationToken));
            var random = new Random((int)options.Seed);
            results.Add(await MeasureAsync(
                $"tags-page-{count}",
                SinglePages,
                () => client.ListAsync(
                    $"/v2/{repository}/tags/list?n={options.PageSize}&last={ListingsTagName(random.Next(count))}", "tags", cancellationToken, maxPages: 1),
                names => names > 0,
                cancellationToken));
            results.Add(await MeasureAsync(
                $"tags-list-{count}",
                count <= 10_000 ? options.ListRepeat : 2,
                () => client.ListTagsAsync(repository, options.PageSize, cancellationToken),
                names => names == count,
                cancellationToken));
            results.Add(await MeasureAsync(
                $"tags-whole-{count}",
                count <= 10_000 ? options.ListRepeat * 4 : options.ListRepeat,
                () => client.ListAsync($"/v2/{repository}/tags/list", "tags", cancellationToken),
                names => names == count,
                cancellationToken));
        }

        var size = options.CatalogSize;
        await FirstReadAsync(context, "catalog", () => client.ListAsync("/v2/_catalog?n=100", "repositories", cancellationToken, maxPages: 1));
        results.Add(await MeasureAsync(
            $"catalog-page1-{size}",
            CatalogFirstPages,
            () => client.ListAsync("/v2/_catalog?n=100", "repositories", cancellationToken, maxPages: 1),
            names => names == 100,
            cancellationToken));
        results.Add(await MeasureAsync(
            $"catalog-list-{size}",
            1,
            () => client.ListCatalogAsync(CatalogPageSize, cancellationToken),
            names => names >= size,
            cancellationToken));
        return results;
    }

    /// <summary>The seeded repository of <paramref name="count"/> tags (<c>listings-layout</c> writes it).</summary>
    public static string TagsRepository(int count) => "listings/tags-" + count.ToString(CultureInfo.InvariantCulture);

    /// <summary>Zero-padded, so lexical order is numeric order.</summary>
    public static string ListingsTagName(int index) => "tag-" + index.ToString("D6", CultureInfo.InvariantCulture);

    private static async Task FirstReadAsync(WorkloadContext context, string what, Func<Task<(int Names, int Pages)>> read)
    {
        var begun = Stopwatch.GetTimestamp();
        var (names, pages) = await read();
        await context.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  listings: first read of the {what}: {names} names in {pages} page(s), {Stopwatch.GetElapsedTime(begun).TotalMilliseconds:F1} ms (not counted)"));
    }

    private static async Task<WorkloadResult> MeasureAsync(
        string name, int repeat, Func<Task<(int Names, int Pages)>> read, Func<int, bool> complete, CancellationToken cancellationToken)
    {
        var latency = new LatencyRecorder();
        var errors = new ErrorTally();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < repeat; i++)
        {
            var begun = Stopwatch.GetTimestamp();
            try
            {
                var (names, pages) = await read();
                if (!complete(names))
                {
                    errors.Add($"{name}: {names} names in {pages} page(s)");
                    continue;
                }

                latency.RecordSince(begun);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add(e);
            }
        }

        return WorkloadResult.ForOperations("listings", name, latency.Count, 0, Stopwatch.GetElapsedTime(started), latency.Summarize(), errors);
    }
}

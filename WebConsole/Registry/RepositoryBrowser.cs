using System.Collections.Concurrent;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>A repository as the repositories page lists it.</summary>
public sealed record RepositorySummary(string Name, int? TagCount, long? Size, bool IsPartial, DateTimeOffset? LastPushed, string? Problem);

/// <summary>One tag as the repository page lists it.</summary>
public sealed record TagRow(string Tag, string? Digest, string? MediaType, long? Size, IReadOnlyList<string> Platforms, DateTimeOffset? Pushed, string? Created, string? Problem);

/// <summary>
/// Reads what the pages show from the registry API, a few requests at a time, for the rows on
/// screen only. Sizes add up each distinct blob once (layers shared by tags count once), over at
/// most <see cref="MaxTagsPerSummary"/> tags a repository, and the last push is the latest of
/// theirs: past that both are marked partial.
/// </summary>
public sealed class RepositoryBrowser(RegistryClient registry)
{
    public const int MaxTagsPerSummary = 20;
    private const int Parallelism = 4;

    public async Task<IReadOnlyList<RepositorySummary>> SummarizeAsync(IReadOnlyList<string> repositories, CancellationToken cancellationToken)
    {
        var results = new RepositorySummary[repositories.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, repositories.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await SummarizeAsync(repositories[i], token));
        return results;
    }

    /// <summary>The rows of <paramref name="tags"/>, a page of <paramref name="all"/> (the repository's tags in the API's order).</summary>
    public async Task<IReadOnlyList<TagRow>> DescribeTagsAsync(string repository, IReadOnlyList<string> all, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var pushed = await registry.GetPushTimesAsync(repository, all, tags, cancellationToken);
        var rows = new TagRow[tags.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tags.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) => rows[i] = await DescribeTagAsync(repository, tags[i], pushed.TryGetValue(tags[i], out var at) ? at : null, token));
        return rows;
    }

    private async Task<RepositorySummary> SummarizeAsync(string repository, CancellationToken cancellationToken)
    {
        try
        {
            var tags = await registry.GetTagsAsync(repository, cancellationToken);
            var summarized = tags.Take(MaxTagsPerSummary).ToList();
            var pushed = await registry.GetPushTimesAsync(repository, tags, summarized, cancellationToken);
            var blobs = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            foreach (var tag in summarized)
            {
                var manifest = ManifestView.Parse(await registry.GetManifestAsync(repository, tag, cancellationToken));
                var images = manifest.IsIndex ? await ChildrenAsync(repository, manifest, cancellationToken) : [manifest];
                foreach (var image in images)
                {
                    foreach (var blob in image.Layers.Append(image.Config).OfType<DescriptorView>())
                    {
                        blobs.TryAdd(blob.Digest, blob.Size);
                    }
                }
            }

            DateTimeOffset? lastPushed = pushed.Count == 0 ? null : pushed.Values.Max();
            return new RepositorySummary(repository, tags.Count, blobs.Values.Sum(), tags.Count > MaxTagsPerSummary, lastPushed, null);
        }
        catch (RegistryRefusedException e)
        {
            return new RepositorySummary(repository, null, null, false, null, e.Message);
        }
    }

    private async Task<TagRow> DescribeTagAsync(string repository, string tag, DateTimeOffset? pushed, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = ManifestView.Parse(await registry.GetManifestAsync(repository, tag, cancellationToken));
            var images = manifest.IsIndex ? await ChildrenAsync(repository, manifest, cancellationToken) : [manifest];
            var size = images.SelectMany(image => image.Layers.Append(image.Config).OfType<DescriptorView>())
                .DistinctBy(blob => blob.Digest).Sum(blob => blob.Size);
            var config = images.FirstOrDefault() is { } first ? await ConfigAsync(repository, first, cancellationToken) : null;
            IReadOnlyList<string> platforms = manifest.IsIndex ? manifest.Platforms : config is { Platform.Length: > 0 } ? [config.Platform] : [];
            var created = config?.Created;
            return new TagRow(tag, manifest.Digest, manifest.MediaType, size, platforms, pushed, created, null);
        }
        catch (RegistryRefusedException e)
        {
            return new TagRow(tag, null, null, null, [], pushed, null, e.Message);
        }
    }

    /// <summary>The image manifests an index names (attestations aside), read from the registry.</summary>
    public async Task<IReadOnlyList<ManifestView>> ChildrenAsync(string repository, ManifestView index, CancellationToken cancellationToken)
    {
        var children = new List<ManifestView>();
        foreach (var child in index.Manifests.Where(child => child.Platform != "unknown/unknown"))
        {
            try
            {
                children.Add(ManifestView.Parse(await registry.GetManifestAsync(repository, child.Digest, cancellationToken)));
            }
            catch (RegistryRefusedException e) when (e.IsNotFound)
            {
                // An index may name manifests the registry does not hold (a partial copy): skip them.
            }
        }

        return children;
    }

    public async Task<ImageConfigView?> ConfigAsync(string repository, ManifestView image, CancellationToken cancellationToken) =>
        image.Config is { Digest.Length: > 0 } config && !image.IsIndex
            ? ImageConfigView.TryParse(await registry.GetBlobAsync(repository, config.Digest, cancellationToken))
            : null;
}

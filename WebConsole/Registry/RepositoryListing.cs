namespace RegistryCloud.WebConsole.Registry;

/// <summary>How the repositories page orders names.</summary>
public enum RepositorySort
{
    NameAscending,
    NameDescending,
}

/// <summary>One page of repository names, and where it sits in the whole filtered listing.</summary>
public sealed record RepositoryPage(IReadOnlyList<string> Names, int Page, int PageCount, int Total);

/// <summary>
/// Search, order and paging of the repositories page over the names the catalog gave the user.
/// Only names are handled here, in memory; what costs requests (tags, sizes) is read for the
/// page shown only, so a registry of 10,000 repositories costs one page of rows.
/// </summary>
public static class RepositoryListing
{
    public const int PageSize = 25;

    public static RepositoryPage Select(IReadOnlyList<string> names, string? query, RepositorySort sort, int page, int pageSize = PageSize)
    {
        IEnumerable<string> matching = string.IsNullOrWhiteSpace(query)
            ? names
            : names.Where(name => name.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase));
        var ordered = sort == RepositorySort.NameDescending
            ? matching.OrderDescending(StringComparer.Ordinal).ToList()
            : matching.Order(StringComparer.Ordinal).ToList();
        var pageCount = Math.Max(1, (ordered.Count + pageSize - 1) / pageSize);
        var current = Math.Clamp(page, 1, pageCount);
        return new RepositoryPage([.. ordered.Skip((current - 1) * pageSize).Take(pageSize)], current, pageCount, ordered.Count);
    }
}

namespace RegistryCloud.ManifestService.Listings;

/// <summary>A page cut from a whole sorted list, where no index answers.</summary>
internal static class SortedNames
{
    /// <summary>Up to <paramref name="count"/> names strictly after <paramref name="after"/> in ordinal order.</summary>
    public static IReadOnlyList<string> After(IReadOnlyList<string> sorted, string? after, int count)
    {
        var start = 0;
        if (after is not null)
        {
            var lo = 0;
            var hi = sorted.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (string.CompareOrdinal(sorted[mid], after) <= 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            start = lo;
        }

        var taken = Math.Max(0, Math.Min(count, sorted.Count - start));
        var page = new string[taken];
        for (var i = 0; i < taken; i++)
        {
            page[i] = sorted[start + i];
        }

        return page;
    }
}

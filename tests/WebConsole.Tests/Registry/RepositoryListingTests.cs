using System.Globalization;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Tests.Registry;

public sealed class RepositoryListingTests
{
    private static readonly IReadOnlyList<string> TenThousand =
        [.. Enumerable.Range(0, 10_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"team-{i % 10}/service-{i:D5}"))];

    [Fact]
    public void Ten_thousand_names_are_searched_sorted_and_cut_to_one_page()
    {
        var page = RepositoryListing.Select(TenThousand, "TEAM-3/", RepositorySort.NameAscending, page: 2);

        Assert.Equal(1_000, page.Total);
        Assert.Equal(40, page.PageCount);
        Assert.Equal(RepositoryListing.PageSize, page.Names.Count);
        Assert.Equal("team-3/service-00253", page.Names[0]);
        Assert.All(page.Names, name => Assert.StartsWith("team-3/", name, StringComparison.Ordinal));
        Assert.Equal(page.Names.Order(StringComparer.Ordinal), page.Names);
    }

    [Fact]
    public void Descending_order_starts_from_the_last_name()
    {
        var page = RepositoryListing.Select(TenThousand, null, RepositorySort.NameDescending, page: 1);

        Assert.Equal("team-9/service-09999", page.Names[0]);
        Assert.Equal(10_000, page.Total);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(999, 400)]
    public void A_page_outside_the_listing_is_clamped_to_it(int asked, int shown)
    {
        Assert.Equal(shown, RepositoryListing.Select(TenThousand, null, RepositorySort.NameAscending, asked).Page);
    }

    [Fact]
    public void No_match_is_one_empty_page()
    {
        var page = RepositoryListing.Select(TenThousand, "nothing-like-this", RepositorySort.NameAscending, 3);

        Assert.Empty(page.Names);
        Assert.Equal((1, 1, 0), (page.Page, page.PageCount, page.Total));
    }
}

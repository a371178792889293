using Microsoft.AspNetCore.Http;
using RegistryCloud.ManifestService.Apis;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>
/// A page cut short always says so: without <c>n</c> (the pull-through cache's tags list, which
/// reads an upstream's pages) a page of <see cref="Pagination.MaxPageSize"/> names that has more
/// behind it gets a <c>Link</c> as a page of an asked size does. It used to end there silently.
/// </summary>
public sealed class PaginationTests
{
    [Fact]
    public void A_page_without_n_that_has_more_behind_it_links_to_the_rest()
    {
        var context = Context("/v2/a/tags/list");
        var fetched = Names(Pagination.FetchCount(null));

        var page = Pagination.Page(context, fetched, pageSize: null);

        Assert.Equal(Pagination.MaxPageSize, page.Count);
        Assert.Equal($"</v2/a/tags/list?n={Pagination.MaxPageSize}&last={page[^1]}>; rel=\"next\"", context.Response.Headers.Link.ToString());
    }

    [Theory]
    [InlineData(null, 10)]
    [InlineData(5, 5)]
    [InlineData(0, 0)]
    public void A_page_with_nothing_behind_it_has_no_link(int? pageSize, int expected)
    {
        var context = Context("/v2/a/tags/list");

        var page = Pagination.Page(context, Names(pageSize is 0 ? 3 : expected), pageSize);

        Assert.Equal(expected, page.Count);
        Assert.Empty(context.Response.Headers.Link.ToString());
    }

    [Fact]
    public void A_page_of_n_with_more_behind_it_links_with_the_same_n()
    {
        var context = Context("/v2/a/tags/list");

        var page = Pagination.Page(context, Names(Pagination.FetchCount(5)), pageSize: 5);

        Assert.Equal("</v2/a/tags/list?n=5&last=n000004>; rel=\"next\"", context.Response.Headers.Link.ToString());
        Assert.Equal(5, page.Count);
    }

    private static DefaultHttpContext Context(string path) => new() { Request = { Path = path } };

    private static string[] Names(int count) =>
        [.. Enumerable.Range(0, count).Select(i => "n" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))];
}

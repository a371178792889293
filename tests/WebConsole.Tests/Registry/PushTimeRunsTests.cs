using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Tests.Registry;

/// <summary>Which pages of the tags list (<c>pushed=true</c>) cover the tags a page shows.</summary>
public sealed class PushTimeRunsTests
{
    private static readonly string[] All = ["a", "b", "c", "d", "e", "f"];

    [Fact]
    public void A_page_of_neighbours_is_one_page_after_the_tag_before_it()
    {
        Assert.Equal([("b", 3)], RegistryClient.PushTimeRuns(All, ["c", "d", "e"]));
    }

    [Fact]
    public void The_first_tags_need_no_last()
    {
        Assert.Equal([(null, 2)], RegistryClient.PushTimeRuns(All, ["a", "b"]));
    }

    [Fact]
    public void A_filtered_page_is_one_page_per_run_of_neighbours()
    {
        Assert.Equal([(null, 1), ("b", 2), ("e", 1)], RegistryClient.PushTimeRuns(All, ["a", "c", "d", "f"]));
    }

    [Fact]
    public void Tags_the_list_no_longer_holds_are_left_out()
    {
        Assert.Equal([("a", 1)], RegistryClient.PushTimeRuns(All, ["gone", "b"]));
    }
}

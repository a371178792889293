using System.Net;
using System.Text.Json;
using RegistryCloud.ManifestService.Tests.Infrastructure;
using RegistryCloud.Oci;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.ManifestService.Tests.Apis;

/// <summary>OCI spec, content discovery: listing tags in lexical order with <c>n</c>/<c>last</c> pagination.</summary>
public sealed class TagsListTests(RegistryServices services) : IClassFixture<RegistryServices>
{
    private static readonly string[] Tags = ["b", "a", "1.0", "B", "_x", "c"];
    private static readonly string[] Sorted = ["1.0", "B", "_x", "a", "b", "c"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tags_are_listed_in_lexical_order()
    {
        var repository = await PushTaggedAsync();

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        var (name, tags) = await ReadAsync(response);
        Assert.Equal(repository, name);
        Assert.Equal(Sorted, tags);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Pages_of_n_tags_follow_each_other_through_the_Link_header()
    {
        var repository = await PushTaggedAsync();
        var pages = new List<string[]>();
        var next = $"/v2/{repository}/tags/list?n=4";

        while (next is not null && pages.Count < Sorted.Length)
        {
            using var response = await services.Manifests.GetAsync(next, Token);
            await OciAssert.StatusAsync(response, HttpStatusCode.OK);
            pages.Add((await ReadAsync(response)).Tags);
            next = NextLink(response);
        }

        Assert.Equal([["1.0", "B", "_x", "a"], ["b", "c"]], pages);
    }

    [Fact]
    public async Task The_Link_header_names_the_next_page_after_the_last_tag_given()
    {
        var repository = await PushTaggedAsync();

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n=2", Token);

        Assert.Equal(["1.0", "B"], (await ReadAsync(response)).Tags);
        Assert.Equal($"</v2/{repository}/tags/list?n=2&last=B>; rel=\"next\"", response.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task Last_alone_lists_every_tag_after_it()
    {
        var repository = await PushTaggedAsync();

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?last=_x", Token);

        Assert.Equal(["a", "b", "c"], (await ReadAsync(response)).Tags);
    }

    [Fact]
    public async Task A_last_that_is_not_a_tag_starts_after_where_it_would_sort()
    {
        var repository = await PushTaggedAsync();

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n=2&last=aa", Token);

        Assert.Equal(["b", "c"], (await ReadAsync(response)).Tags);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("x")]
    [InlineData("99999999999")]
    public async Task An_invalid_n_answers_400_PAGINATION_NUMBER_INVALID(string n)
    {
        var repository = await PushTaggedAsync();

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n={n}", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    [Fact]
    public async Task Tags_of_an_unknown_repository_answer_404_NAME_UNKNOWN()
    {
        using var response = await services.Manifests.GetAsync($"/v2/{TestContent.NewRepository()}/tags/list", Token);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task The_catalog_lists_pushed_repositories_in_lexical_order()
    {
        var repository = await PushTaggedAsync();

        using var response = await services.Manifests.GetAsync("/v2/_catalog", Token);

        await OciAssert.StatusAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var repositories = json.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains(repository, repositories);
        Assert.Equal(repositories.Order(StringComparer.Ordinal), repositories);
    }

    [Fact]
    public async Task Asked_with_pushed_true_each_tag_carries_when_it_was_pushed_and_the_plain_list_is_unchanged()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var repository = await PushTaggedAsync();
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        using var plain = await services.Manifests.GetAsync($"/v2/{repository}/tags/list", Token);
        using var extended = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?pushed=true", Token);

        using (var json = JsonDocument.Parse(await plain.Content.ReadAsStringAsync(Token)))
        {
            Assert.False(json.RootElement.TryGetProperty("pushed", out _), "the spec's answer gained a member");
        }

        using var extendedJson = JsonDocument.Parse(await extended.Content.ReadAsStringAsync(Token));
        var pushed = extendedJson.RootElement.GetProperty("pushed").EnumerateObject().ToDictionary(p => p.Name, p => DateTimeOffset.Parse(p.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Sorted, pushed.Keys.Order(StringComparer.Ordinal));
        Assert.All(pushed.Values, at => Assert.InRange(at, before, after));
    }

    [Fact]
    public async Task A_page_with_push_times_holds_at_most_100_tags_and_links_to_the_next()
    {
        const int Limit = global::RegistryCloud.ManifestService.Apis.TagsApi.MaxPushedPageSize;
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);
        for (var i = 0; i <= Limit; i++)
        {
            using var put = await services.Manifests.PutManifestAsync(repository, $"t{i:D3}", manifest, MediaTypes.OciImageManifest);
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        using var response = await services.Manifests.GetAsync($"/v2/{repository}/tags/list?n=1000&pushed=true", Token);

        Assert.Equal(Limit, (await ReadAsync(response)).Tags.Length);
        Assert.Equal($"/v2/{repository}/tags/list?n={Limit}&last=t099", NextLink(response));
    }

    private async Task<string> PushTaggedAsync()
    {
        var repository = TestContent.NewRepository();
        var manifest = await services.PushImageBlobsAsync(repository);
        foreach (var tag in Tags)
        {
            using var response = await services.Manifests.PutManifestAsync(repository, tag, manifest, MediaTypes.OciImageManifest);
            await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        }

        return repository;
    }

    private static async Task<(string Name, string[] Tags)> ReadAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var root = json.RootElement;
        return (root.GetProperty("name").GetString()!, [.. root.GetProperty("tags").EnumerateArray().Select(e => e.GetString()!)]);
    }

    /// <summary>The target of <c>Link: &lt;...&gt;; rel="next"</c>, or null when there is none.</summary>
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        var link = values.Single();
        Assert.EndsWith("; rel=\"next\"", link);
        return link[1..link.IndexOf('>', StringComparison.Ordinal)];
    }
}

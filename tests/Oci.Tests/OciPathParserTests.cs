
namespace RegistryCloud.Oci.Tests;

public sealed class OciPathParserTests
{
    private const string Sha256Text = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string UploadId = "3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b";

    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2")]
    public void The_api_base_parses_as_base(string path)
    {
        Assert.Equal(new OciRoute(OciRouteKind.Base, "", ""), OciPathParser.Parse(path));
    }

    [Fact]
    public void The_catalog_parses_as_catalog()
    {
        Assert.Equal(new OciRoute(OciRouteKind.Catalog, "", ""), OciPathParser.Parse("/v2/_catalog"));
    }

    public static TheoryData<string, OciRouteKind, string, string> ResourcePaths() => new()
    {
        { "/v2/a/b/c/blobs/uploads/", OciRouteKind.UploadStart, "a/b/c", "" },
        { "/v2/a/blobs/uploads", OciRouteKind.UploadStart, "a", "" },
        { $"/v2/a/blobs/uploads/{UploadId}", OciRouteKind.Upload, "a", UploadId },
        { $"/v2/a/b/blobs/{Sha256Text}", OciRouteKind.Blob, "a/b", Sha256Text },
        { "/v2/a/manifests/latest", OciRouteKind.Manifest, "a", "latest" },
        { $"/v2/a/manifests/{Sha256Text}", OciRouteKind.Manifest, "a", Sha256Text },
        { "/v2/library/ubuntu/tags/list", OciRouteKind.TagsList, "library/ubuntu", "" },
        { $"/v2/a/referrers/{Sha256Text}", OciRouteKind.Referrers, "a", Sha256Text },
    };

    [Theory]
    [MemberData(nameof(ResourcePaths))]
    public void Resource_paths_give_their_kind_name_and_argument(string path, OciRouteKind kind, string name, string argument)
    {
        var route = OciPathParser.Parse(path);

        Assert.Equal(new OciRoute(kind, name, argument), route);
        Assert.True(route.NameIsValid);
    }

    public static TheoryData<string, OciRouteKind, string, string> NamesHoldingResourceWords() => new()
    {
        { "/v2/blobs/manifests/manifests/latest", OciRouteKind.Manifest, "blobs/manifests", "latest" },
        { "/v2/manifests/blobs/uploads/", OciRouteKind.UploadStart, "manifests", "" },
        { $"/v2/blobs/blobs/{Sha256Text}", OciRouteKind.Blob, "blobs", Sha256Text },
        { $"/v2/uploads/blobs/uploads/{UploadId}", OciRouteKind.Upload, "uploads", UploadId },
        { "/v2/tags/tags/list", OciRouteKind.TagsList, "tags", "" },
        { "/v2/tags/list/tags/list", OciRouteKind.TagsList, "tags/list", "" },
        { $"/v2/referrers/manifests/{Sha256Text}", OciRouteKind.Manifest, "referrers", Sha256Text },
    };

    [Theory]
    [MemberData(nameof(NamesHoldingResourceWords))]
    public void Repository_names_may_hold_the_resource_words_as_components(string path, OciRouteKind kind, string name, string argument)
    {
        Assert.Equal(new OciRoute(kind, name, argument), OciPathParser.Parse(path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/health")]
    [InlineData("/v1/a/manifests/latest")]
    [InlineData("/v2x/a/manifests/latest")]
    [InlineData("/v2/a")]
    [InlineData("/v2/a/manifests/")]
    [InlineData("/v2/a/tags/other")]
    [InlineData("/v2/a/tags/list/")]
    [InlineData("/v2/a/referrers/")]
    [InlineData("/v2/a/unknown/x")]
    [InlineData("/v2//manifests/latest")]
    [InlineData("/v2/_catalog/x")]
    public void Paths_that_are_not_registry_resources_parse_as_none(string? path)
    {
        Assert.Equal(OciRouteKind.None, OciPathParser.Parse(path).Kind);
    }

    [Theory]
    [InlineData("/v2/Library/ubuntu/manifests/latest", "Library/ubuntu")]
    [InlineData($"/v2/a//b/blobs/{Sha256Text}", "a//b")]
    [InlineData("/v2/../x/manifests/latest", "../x")]
    [InlineData("/v2/a_-b/tags/list", "a_-b")]
    public void Invalid_names_are_carried_as_given_and_flagged(string path, string name)
    {
        var route = OciPathParser.Parse(path);

        Assert.NotEqual(OciRouteKind.None, route.Kind);
        Assert.Equal(name, route.Name);
        Assert.False(route.NameIsValid);
    }

    [Theory]
    [InlineData("/v2/a/blobs/uploads/", true)]
    [InlineData($"/v2/a/blobs/uploads/{UploadId}", true)]
    [InlineData($"/v2/a/blobs/{Sha256Text}", true)]
    [InlineData("/v2/a/manifests/latest", false)]
    [InlineData("/v2/a/tags/list", false)]
    [InlineData("/v2/_catalog", false)]
    public void Only_blob_and_upload_paths_are_blob_routes(string path, bool isBlobRoute)
    {
        Assert.Equal(isBlobRoute, OciPathParser.Parse(path).IsBlobRoute);
    }
}

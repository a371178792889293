using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Http;

namespace RegistryCloud.Bench.Tests.Http;

public sealed class RegistryClientTests
{
    private static readonly BlobDigest Digest = BlobDigest.Compute([]);

    [Fact]
    public void The_digest_is_added_as_the_only_query_parameter_of_a_plain_location()
    {
        var uri = RegistryClient.WithDigest(new Uri("http://r/v2/a/blobs/uploads/1"), Digest);

        Assert.Equal("http://r/v2/a/blobs/uploads/1?digest=sha256%3A" + Digest.Encoded, uri.AbsoluteUri);
    }

    [Fact]
    public void The_digest_is_appended_to_a_location_that_already_has_a_query()
    {
        var uri = RegistryClient.WithDigest(new Uri("http://r/v2/a/blobs/uploads/1?_state=abc"), Digest);

        Assert.Equal("http://r/v2/a/blobs/uploads/1?_state=abc&digest=sha256%3A" + Digest.Encoded, uri.AbsoluteUri);
    }

    [Fact]
    public void The_next_page_is_read_from_a_link_header_with_rel_next()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", "</v2/a/tags/list?n=100&last=tag-00099>; rel=\"next\"");

        Assert.Equal("/v2/a/tags/list?n=100&last=tag-00099", RegistryClient.NextPage(response));
    }

    [Fact]
    public void A_response_without_a_link_header_is_the_last_page()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(RegistryClient.NextPage(response));
    }

    [Fact]
    public void A_digest_that_is_not_sha256_or_sha512_hex_does_not_parse()
    {
        Assert.Throws<FormatException>(() => BlobDigest.Parse("sha256:ABC"));
        Assert.Throws<FormatException>(() => BlobDigest.Parse("md5:" + new string('a', 32)));
        Assert.Equal(Digest, BlobDigest.Parse(Digest.ToString()));
    }
}

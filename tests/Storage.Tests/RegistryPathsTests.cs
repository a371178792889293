using System.Text;
using RegistryCloud.Oci;

namespace RegistryCloud.Storage.Tests;

/// <summary>The layout must be Distribution's byte for byte, or an existing registry root loses its images.</summary>
public sealed class RegistryPathsTests
{
    private const string Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly Digest Sha256 = Digest.Parse("sha256:" + Hex);

    [Fact]
    public void Blob_data_sits_under_the_first_two_hex_characters()
    {
        Assert.Equal($"/docker/registry/v2/blobs/sha256/e3/{Hex}/data", RegistryPaths.BlobData(Sha256));
    }

    [Fact]
    public void A_sha512_blob_is_laid_out_under_its_own_algorithm()
    {
        var hex = new string('0', 126) + "ab";

        Assert.Equal($"/docker/registry/v2/blobs/sha512/00/{hex}/data", RegistryPaths.BlobData(Digest.Parse("sha512:" + hex)));
    }

    [Fact]
    public void A_layer_link_sits_under_the_repository_layers()
    {
        Assert.Equal(
            $"/docker/registry/v2/repositories/library/ubuntu/_layers/sha256/{Hex}/link",
            RegistryPaths.LayerLink("library/ubuntu", Sha256));
    }

    [Fact]
    public void A_revision_link_sits_under_the_repository_manifest_revisions()
    {
        Assert.Equal(
            $"/docker/registry/v2/repositories/hello-mine/_manifests/revisions/sha256/{Hex}/link",
            RegistryPaths.ManifestRevisionLink("hello-mine", Sha256));
    }

    [Fact]
    public void A_tag_has_a_current_link_and_an_index_link_per_digest()
    {
        Assert.Equal(
            "/docker/registry/v2/repositories/hello-mine/_manifests/tags/latest/current/link",
            RegistryPaths.TagCurrentLink("hello-mine", "latest"));
        Assert.Equal(
            $"/docker/registry/v2/repositories/hello-mine/_manifests/tags/latest/index/sha256/{Hex}/link",
            RegistryPaths.TagIndexLink("hello-mine", "latest", Sha256));
        Assert.Equal("/docker/registry/v2/repositories/hello-mine/_manifests/tags", RegistryPaths.TagsDirectory("hello-mine"));
    }

    [Fact]
    public void Upload_data_and_start_time_sit_under_the_repository_uploads()
    {
        const string Id = "3f2b6a4e-8c1d-4e5f-9a7b-0c1d2e3f4a5b";

        Assert.Equal($"/docker/registry/v2/repositories/a/b/_uploads/{Id}/data", RegistryPaths.UploadData("a/b", Id));
        Assert.Equal($"/docker/registry/v2/repositories/a/b/_uploads/{Id}/startedat", RegistryPaths.UploadStartedAt("a/b", Id));
    }

    [Fact]
    public void A_link_holds_the_digest_text_and_reads_back()
    {
        var content = RegistryPaths.LinkContent(Sha256);

        Assert.Equal("sha256:" + Hex, Encoding.ASCII.GetString(content));
        Assert.Equal(Sha256, RegistryPaths.ParseLink(content));
    }

    [Fact]
    public void A_link_with_a_trailing_newline_still_reads_back_and_garbage_does_not()
    {
        Assert.Equal(Sha256, RegistryPaths.ParseLink(Encoding.ASCII.GetBytes("sha256:" + Hex + "\n")));
        Assert.Null(RegistryPaths.ParseLink(Encoding.ASCII.GetBytes("not a digest")));
    }

    [Fact]
    public void Every_layout_path_passes_storage_path_validation()
    {
        StoragePath.Validate(RegistryPaths.BlobData(Sha256));
        StoragePath.Validate(RegistryPaths.LayerLink("library/ubuntu", Sha256));
        StoragePath.Validate(RegistryPaths.TagIndexLink("library/ubuntu", "1.0-rc_2", Sha256));
        StoragePath.Validate(RegistryPaths.ReferrerDescriptor("library/ubuntu", Sha256, Sha256));
    }
}

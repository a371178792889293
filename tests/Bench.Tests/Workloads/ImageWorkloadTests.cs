using RegistryCloud.Bench.Workloads;

namespace RegistryCloud.Bench.Tests.Workloads;

public sealed class ImageWorkloadTests
{
    private const long Mib = 1L << 20;

    [Fact]
    public void Ten_layers_from_1_to_64_MiB_start_and_end_exactly_there_and_grow_in_between()
    {
        var sizes = ImageWorkload.LayerSizes(10, Mib, 64 * Mib);

        Assert.Equal(10, sizes.Count);
        Assert.Equal(Mib, sizes[0]);
        Assert.Equal(64 * Mib, sizes[^1]);
        Assert.All(sizes.Zip(sizes.Skip(1)), pair => Assert.True(pair.Second > pair.First));
        Assert.All(sizes, size => Assert.Equal(0, size % 1024));
        Assert.Equal(4 * Mib, sizes[3]);
        Assert.Equal(16 * Mib, sizes[6]);
    }

    [Fact]
    public void Equal_minimum_and_maximum_give_layers_of_one_size()
    {
        Assert.All(ImageWorkload.LayerSizes(4, Mib, Mib), size => Assert.Equal(Mib, size));
    }

    [Fact]
    public void Tag_names_sort_lexically_in_the_order_they_were_made()
    {
        var names = Enumerable.Range(0, 1000).Select(ManifestsAndTagsWorkload.TagName).ToList();

        Assert.Equal(names, names.Order(StringComparer.Ordinal));
        Assert.Equal(1000, names.Distinct().Count());
    }

    [Fact]
    public void A_built_manifest_reads_back_as_the_same_config_and_layers()
    {
        var config = new Descriptor(ImageManifest.ConfigMediaType, Bench.Content.BlobDigest.Compute([1]), 1);
        Descriptor[] layers =
        [
            new(ImageManifest.LayerMediaType, Bench.Content.BlobDigest.Compute([2]), 2),
            new(ImageManifest.LayerMediaType, Bench.Content.BlobDigest.Compute([3]), 3),
        ];

        var (readConfig, readLayers) = ImageManifest.Read(ImageManifest.Build(config, layers, index: 7));

        Assert.Equal(config, readConfig);
        Assert.Equal(layers, readLayers);
    }

    [Fact]
    public void Manifests_built_with_different_indexes_are_different_documents()
    {
        var config = new Descriptor(ImageManifest.ConfigMediaType, Bench.Content.BlobDigest.Compute([1]), 1);

        Assert.NotEqual(ImageManifest.Build(config, [], 1), ImageManifest.Build(config, [], 2));
    }
}

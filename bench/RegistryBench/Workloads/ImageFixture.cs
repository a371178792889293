using RegistryCloud.Bench.Content;

namespace RegistryCloud.Bench.Workloads;

/// <summary>
/// A small image (one 64 KiB layer and its config) pushed untimed, for the workloads that
/// measure manifests and reads rather than uploads.
/// </summary>
internal sealed record ImageFixture(Descriptor Config, Descriptor Layer)
{
    public const int LayerSize = 64 * 1024;

    public static async Task<ImageFixture> PushAsync(WorkloadContext context, string repository, CancellationToken cancellationToken)
    {
        var client = context.Client;
        var layerSource = new BlobSource(context.SeedFor(ContentPurpose.FixtureLayer, 0), LayerSize);
        var layer = new Descriptor(ImageManifest.LayerMediaType, layerSource.ComputeDigest(), LayerSize);
        await client.PushBlobAsync(repository, layerSource, layer.Digest, cancellationToken);

        var configBytes = ImageManifest.Config([layer.Digest]);
        var config = new Descriptor(ImageManifest.ConfigMediaType, BlobDigest.Compute(configBytes), configBytes.Length);
        var location = await client.StartUploadAsync(repository, cancellationToken);
        await client.PutBlobAsync(location, config.Digest, new ByteArrayContent(configBytes), cancellationToken);
        return new ImageFixture(config, layer);
    }

    public byte[] Manifest(int? index = null) => ImageManifest.Build(Config, [Layer], index);
}

namespace RegistryCloud.EndToEnd.Tests.Images;

/// <summary>Media types the tests write, read and ask registries for.</summary>
public static class OciMediaTypes
{
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string LayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>The annotation that names an image inside an OCI layout (image-layout spec, index.json).</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
}

namespace RegistryCloud.Oci;

public static class MediaTypes
{
    public const string OciImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciImageConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifestV1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerManifestV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public const string DockerContainerConfig = "application/vnd.docker.container.image.v1+json";
    public const string OctetStream = "application/octet-stream";
    public const string Json = "application/json";

    public static bool IsIndex(string mediaType) => mediaType is OciImageIndex or DockerManifestList;

    public static bool IsImageManifest(string mediaType) => mediaType is OciImageManifest or DockerManifest;

    public static bool IsSchema1(string mediaType) => mediaType is DockerManifestV1 or DockerManifestV1Signed;
}

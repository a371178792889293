using System.Text.Json.Nodes;

namespace RegistryCloud.ManifestService.Tests.Infrastructure;

/// <summary>A descriptor as manifests carry it (OCI image-spec descriptor.md).</summary>
internal sealed record TestDescriptor(string MediaType, string Digest, long Size)
{
    public static TestDescriptor Of(string mediaType, byte[] content) => new(mediaType, Oci.Digest.Compute(content).ToString(), content.Length);

    public JsonObject ToJson() => new() { ["mediaType"] = MediaType, ["digest"] = Digest, ["size"] = Size };
}

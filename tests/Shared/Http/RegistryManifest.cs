using System.Text.Json.Nodes;

namespace RegistryCloud.Tests.Shared;

/// <summary>A manifest as a registry served it: the bytes, the digest it announced and the parsed JSON.</summary>
public sealed record RegistryManifest(string Digest, string? MediaType, byte[] Bytes, JsonObject Json)
{
    /// <summary>The digests of <c>layers[]</c>, in order.</summary>
    public IReadOnlyList<string> LayerDigests =>
        (Json["layers"] as JsonArray ?? []).Select(layer => layer!["digest"]!.GetValue<string>()).ToList();

    /// <summary>The digest of <c>config</c>.</summary>
    public string ConfigDigest => Json["config"]!["digest"]!.GetValue<string>();
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using RegistryCloud.ManifestService.Referrers;

namespace RegistryCloud.ManifestService.Apis;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(RepositoryList))]
[JsonSerializable(typeof(ReferrerDescriptor))]
[JsonSerializable(typeof(ReferrersIndex))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The generated metadata with an encoder that leaves '+' in media types as it is
    /// (<c>application/vnd.oci.image.index.v1+json</c>, not <c>\u002B</c>); the output only
    /// ever goes out as <c>application/json</c>, never into HTML.
    /// </summary>
    public static JsonSerializerOptions WireOptions { get; } = new()
    {
        // Options handed with a resolver are applied at run time: they must repeat the context's.
        TypeInfoResolver = Default,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

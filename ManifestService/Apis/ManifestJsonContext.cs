using System.Text.Json.Serialization;

namespace RegistryCloud.ManifestService.Apis;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(RepositoryList))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;

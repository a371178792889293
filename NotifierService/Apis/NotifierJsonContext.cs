using System.Text.Json.Serialization;
using RegistryCloud.NotifierService.DeadLetters;
using RegistryCloud.NotifierService.Status;

namespace RegistryCloud.NotifierService.Apis;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EndpointList))]
[JsonSerializable(typeof(DeadLetterPage))]
[JsonSerializable(typeof(ReplayResult))]
internal sealed partial class NotifierJsonContext : JsonSerializerContext;

using System.Diagnostics;

namespace RegistryCloud.NotifierService.Extensions;

/// <summary>The service's ActivitySource and Meter name.</summary>
internal static class NotifierServiceTelemetry
{
    public const string Name = "RegistryCloud.NotifierService";

    public static readonly ActivitySource ActivitySource = new(Name);
}

namespace RegistryCloud.NotifierService.Status;

/// <summary>The answer of <c>GET /endpoints</c>.</summary>
internal sealed record EndpointList(IReadOnlyList<EndpointStatus> Endpoints);

using System.Globalization;

namespace RegistryCloud.AppHost.Resources;

/// <summary>
/// One service run as N project resources: <c>blobservice</c>, <c>blobservice-2</c>, ... Each
/// replica has its own unproxied endpoints, health check and logs in the dashboard.
/// </summary>
/// <remarks>
/// Aspire's own <c>WithReplicas</c> puts one DCP proxy port in front of the copies, and that
/// proxy balances per TCP connection: YARP and gRPC keep their connections pooled, so every
/// request would stay on the replica the first connection landed on. Instead each caller is
/// handed every replica's endpoint under the one logical name (the <c>services__blobservice__http__0</c>,
/// <c>__1</c>, ... variables service discovery reads), and spreads requests itself: the
/// gateway's YARP turns them into one destination each (balanced round-robin, see
/// Gateway/appsettings.json); ManifestService's gRPC client picks an endpoint per call.
/// Nothing a replica holds in memory is needed by another: uploads, the blob descriptor cache
/// and notifications live in storage and Redis.
/// </remarks>
internal sealed class ServiceReplicas(string name, IReadOnlyList<IResourceBuilder<ProjectResource>> replicas)
{
    /// <summary>The name callers resolve (<c>http://blobservice</c>), and the first replica's resource name.</summary>
    public string Name { get; } = name;

    public IReadOnlyList<IResourceBuilder<ProjectResource>> Replicas { get; } = replicas;

    /// <summary>Adds <paramref name="count"/> copies of a project, each made by <paramref name="addReplica"/> under its replica name.</summary>
    public static ServiceReplicas Add(string name, int count, Func<string, IResourceBuilder<ProjectResource>> addReplica)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var replicas = Enumerable.Range(0, count).Select(index => addReplica(ReplicaName(name, index))).ToList();
        return new ServiceReplicas(name, replicas);
    }

    /// <summary><c>blobservice</c>, <c>blobservice-2</c>, <c>blobservice-3</c>: with one replica, today's name.</summary>
    public static string ReplicaName(string name, int index) =>
        index == 0 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}-{index + 1}");
}

internal static class ServiceReplicaExtensions
{
    /// <summary>
    /// Every replica's <paramref name="endpointName"/> endpoint as a service-discovery endpoint of
    /// the service's one name, and waits for them all. The first goes in by <c>WithReference</c>
    /// exactly as with a single replica; the others are the next indexes of the same list.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> caller, ServiceReplicas service, string endpointName)
    {
        caller.WithReference(service.Replicas[0].GetEndpoint(endpointName));
        for (var index = 1; index < service.Replicas.Count; index++)
        {
            var replica = service.Replicas[index];
            var variable = string.Create(CultureInfo.InvariantCulture, $"services__{service.Name}__{endpointName}__{index}");
            caller.WithEnvironment(variable, replica.GetEndpoint(endpointName))
                .WithReferenceRelationship(replica);
        }

        return caller.WaitFor(service);
    }

    /// <summary>Waits until every replica is healthy.</summary>
    public static IResourceBuilder<ProjectResource> WaitFor(this IResourceBuilder<ProjectResource> caller, ServiceReplicas service)
    {
        foreach (var replica in service.Replicas)
        {
            caller.WaitFor(replica);
        }

        return caller;
    }
}

using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace RegistryCloud.Gateway.Routing;

/// <summary>
/// YARP's passive health policy for the services' replicas: a destination that failed at the
/// connection level (refused, reset, gone mid-body) is taken out of the rotation at once, for
/// the cluster's <c>HealthCheck:Passive:ReactivationPeriod</c>, then tried again. A replica that
/// died would otherwise get every other request, each answered 503 (issue 20). YARP's own
/// TransportFailureRate policy waits for a failure rate over many requests first.
/// </summary>
/// <remarks>
/// YARP hands the policy the route's cluster (manifests) even when <see cref="RegistryClusterSelector"/>
/// reassigned the request to the blobs cluster, so the cluster the destination belongs to is looked
/// up from the request's proxy feature: marking it in the route's cluster would change nothing.
/// </remarks>
internal sealed class DeadReplicaPolicy(IDestinationHealthUpdater health) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "DeadReplica";

    /// <summary>When the cluster names no reactivation period.</summary>
    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(10);

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        // Only the destination's failures: a client that went away says nothing about the replica.
        if (context.GetForwarderErrorFeature()?.Error is not (ForwarderError.Request or ForwarderError.RequestBodyDestination or ForwarderError.ResponseBodyDestination))
        {
            return;
        }

        // Resolved per failure, not injected: the proxy's state is built from the policies.
        var clusters = context.RequestServices.GetRequiredService<IProxyStateLookup>();
        var owner = clusters.TryGetCluster(context.GetReverseProxyFeature().Cluster.Config.ClusterId, out var reassigned) ? reassigned : cluster;
        var reactivation = owner.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
        health.SetPassive(owner, destination, DestinationHealth.Unhealthy, reactivation);
    }
}

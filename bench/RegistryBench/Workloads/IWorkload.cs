using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Workloads;

/// <summary>One workload of the issue: runs against a registry and reports one or more figures.</summary>
internal interface IWorkload
{
    string Name { get; }

    Task<IReadOnlyList<WorkloadResult>> RunAsync(WorkloadContext context, CancellationToken cancellationToken);
}

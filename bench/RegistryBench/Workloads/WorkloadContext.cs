using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Http;

namespace RegistryCloud.Bench.Workloads;

/// <summary>What every workload needs: the client, the options, somewhere to say what it is doing.</summary>
internal sealed class WorkloadContext(RegistryClient? client, BenchOptions options, TextWriter log)
{
    public RegistryClient Client => client ?? throw new InvalidOperationException("this workload needs --url");

    public BenchOptions Options => options;

    public TextWriter Log => log;

    /// <summary>
    /// A repository of this run: the seed is part of the name, so each round starts from empty
    /// repositories and fresh content while two registries given the same seed do the same work.
    /// </summary>
    public string Repository(string suffix) => $"{options.RepositoryPrefix}/s{options.Seed}/{suffix}";

    /// <summary>The content seed of blob <paramref name="index"/> of one <paramref name="purpose"/>.</summary>
    public ulong SeedFor(ContentPurpose purpose, int index) =>
        BlobSource.SplitMix64(BlobSource.SplitMix64(options.Seed, (ulong)purpose), (ulong)index);
}

/// <summary>Keeps the blobs of different workloads apart: each draws from its own seed stream.</summary>
internal enum ContentPurpose
{
    MonolithicBlob = 1,
    ChunkedBlob = 2,
    SmallBlob = 3,
    ImageLayer = 4,
    FixtureLayer = 5,
}

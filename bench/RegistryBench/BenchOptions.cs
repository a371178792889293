using System.Globalization;

namespace RegistryCloud.Bench;

/// <summary>
/// What to measure and how big. Defaults are the workloads; every size can be made
/// small for a quick run (<c>--blob-size 32M --small-count 200 ...</c>).
/// </summary>
internal sealed record BenchOptions
{
    public static readonly string[] AllWorkloads = ["push", "pull", "small", "reads", "tags", "image"];

    /// <summary>
    /// Run only when named: the machine's limits, the monolithic push alone (bench/memory.sh), and
    /// the listings of a registry seeded with <c>listings-layout</c> (bench/compare.sh --listings).
    /// </summary>
    public static readonly string[] OptInWorkloads = ["limits", "monolithic", "listings"];

    public Uri? Url { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public bool Insecure { get; init; }
    public string Label { get; init; } = "registry";
    public int Round { get; init; } = 1;
    public ulong Seed { get; init; } = 1;
    public string RepositoryPrefix { get; init; } = "bench";
    public IReadOnlyList<string> Workloads { get; init; } = AllWorkloads;
    public int Concurrency { get; init; } = 16;
    public long BlobSize { get; init; } = 512L << 20;
    public long ChunkSize { get; init; } = 8L << 20;
    public int PullRepeat { get; init; } = 3;
    public int SmallCount { get; init; } = 2000;
    public long SmallSize { get; init; } = 4L << 10;
    public double ReadsSeconds { get; init; } = 10;
    public int? ReadsCount { get; init; }
    public int Manifests { get; init; } = 200;
    public int Tags { get; init; } = 1000;
    public int PageSize { get; init; } = 100;
    public int ListRepeat { get; init; } = 5;
    public int Layers { get; init; } = 10;
    public long LayerMin { get; init; } = 1L << 20;
    public long LayerMax { get; init; } = 64L << 20;
    public int Parallel { get; init; } = 3;
    public long LimitsSize { get; init; } = 1L << 30;
    public int CatalogSize { get; init; } = 10_000;
    public IReadOnlyList<int> ListingTags { get; init; } = [1000, 100_000];
    public string? JsonPath { get; init; }

    public const string Usage = """
        usage: RegistryCloud.Bench --url <http(s)://host:port> [options]
               RegistryCloud.Bench compare --baseline <label> --candidate <label> [--out <file.md>] <result.json>...
          --url URL            registry base URL (not needed for --workloads limits)
          --user U --password P  basic credentials      --insecure  accept any TLS certificate
          --label NAME         name of the registry in the results (default: registry)
          --round N            round number recorded in the results (default: 1)
          --seed N             content seed; repositories are named after it (default: 1)
          --repo-prefix P      repository prefix (default: bench)
          --workloads LIST     comma list of push,pull,small,reads,tags,image,limits,monolithic,listings or all
                               (default: all but limits and monolithic)
          --concurrency N      concurrent clients for small, reads, tags (default: 16)
          --blob-size SIZE     large blob (default: 512M)   --chunk-size SIZE (default: 8M)
          --pull-repeat N      pulls of the large blob (default: 3)
          --small-count N      small blobs (default: 2000)  --small-size SIZE (default: 4K)
          --reads-seconds S    duration of each read workload (default: 10)  --reads-count N  fixed count instead
          --manifests N        manifests to push (default: 200)  --tags N (default: 1000)
          --page-size N        tags per page (default: 100)      --list-repeat N (default: 5)
          --layers N           image layers (default: 10)  --layer-min SIZE (1M)  --layer-max SIZE (64M)
          --parallel N         layers in flight for image push/pull (default: 3)
          --limits-size SIZE   bytes for the machine-limit measurements (default: 1G)
          --catalog-size N     listings: repositories the seeded registry holds (default: 10000)
          --listing-tags LIST  listings: tag counts of the seeded listings/tags-N (default: 1000,100000)
          --json FILE          write the results as JSON
        SIZE is a byte count with an optional K, M or G suffix (powers of 1024).
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--url" => options with { Url = new Uri(Value().TrimEnd('/') + "/", UriKind.Absolute) },
                "--user" => options with { User = Value() },
                "--password" => options with { Password = Value() },
                "--insecure" => options with { Insecure = true },
                "--label" => options with { Label = Value() },
                "--round" => options with { Round = PositiveInt(name, Value()) },
                "--seed" => options with { Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture) },
                "--repo-prefix" => options with { RepositoryPrefix = Value() },
                "--workloads" => options with { Workloads = ParseWorkloads(Value()) },
                "--concurrency" => options with { Concurrency = PositiveInt(name, Value()) },
                "--blob-size" => options with { BlobSize = SizeText.Parse(Value()) },
                "--chunk-size" => options with { ChunkSize = SizeText.Parse(Value()) },
                "--pull-repeat" => options with { PullRepeat = PositiveInt(name, Value()) },
                "--small-count" => options with { SmallCount = PositiveInt(name, Value()) },
                "--small-size" => options with { SmallSize = SizeText.Parse(Value()) },
                "--reads-seconds" => options with { ReadsSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--reads-count" => options with { ReadsCount = PositiveInt(name, Value()) },
                "--manifests" => options with { Manifests = PositiveInt(name, Value()) },
                "--tags" => options with { Tags = PositiveInt(name, Value()) },
                "--page-size" => options with { PageSize = PositiveInt(name, Value()) },
                "--list-repeat" => options with { ListRepeat = PositiveInt(name, Value()) },
                "--layers" => options with { Layers = PositiveInt(name, Value()) },
                "--layer-min" => options with { LayerMin = SizeText.Parse(Value()) },
                "--layer-max" => options with { LayerMax = SizeText.Parse(Value()) },
                "--parallel" => options with { Parallel = PositiveInt(name, Value()) },
                "--limits-size" => options with { LimitsSize = SizeText.Parse(Value()) },
                "--catalog-size" => options with { CatalogSize = PositiveInt(name, Value()) },
                "--listing-tags" => options with { ListingTags = [.. Value().Split(',').Select(count => PositiveInt(name, count))] },
                "--json" => options with { JsonPath = Value() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        if (options.Url is null && options.Workloads.Any(w => w != "limits"))
        {
            throw new ArgumentException("--url is required for registry workloads.");
        }

        if (options.LayerMin > options.LayerMax || options.LayerMin <= 0)
        {
            throw new ArgumentException("--layer-min must be positive and no larger than --layer-max.");
        }

        return options;
    }

    private static string[] ParseWorkloads(string value)
    {
        if (value == "all")
        {
            return AllWorkloads;
        }

        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!OptInWorkloads.Contains(name) && !AllWorkloads.Contains(name))
            {
                throw new ArgumentException($"Unknown workload '{name}'; pick from {string.Join(',', AllWorkloads.Concat(OptInWorkloads))}.");
            }
        }

        return names;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");
}

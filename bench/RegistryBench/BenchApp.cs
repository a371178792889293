using RegistryCloud.Bench.Http;
using RegistryCloud.Bench.Measurement;
using RegistryCloud.Bench.Reporting;
using RegistryCloud.Bench.Workloads;

namespace RegistryCloud.Bench;

/// <summary>Runs the chosen workloads against one registry, or compares result files.</summary>
internal static class BenchApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return args switch
            {
                ["compare", .. var rest] => await CompareAsync(rest, output, cancellationToken),
                ["layout", .. var rest] => Layout.LayoutGenerator.Run(rest, output),
                ["listings-layout", .. var rest] => Layout.ListingsLayout.Run(rest, output),
                _ => await MeasureAsync(BenchOptions.Parse(args), output, cancellationToken),
            };
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync(BenchOptions.Usage);
            return 2;
        }
    }

    private static async Task<int> MeasureAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = options.Url is null ? null : RegistryConnection.Create(options.Url, options.User, options.Password, options.Insecure, options.Concurrency * 2);
        var context = new WorkloadContext(http is null ? null : new RegistryClient(http), options, output);
        var startedAt = DateTimeOffset.UtcNow;
        var results = new List<WorkloadResult>();
        foreach (var name in options.Workloads)
        {
            await output.WriteLineAsync($"{options.Label} round {options.Round}: {name}");
            try
            {
                results.AddRange(await Create(name).RunAsync(context, cancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or Http.RegistryResponseException or IOException)
            {
                // A workload whose setup failed reports that, so the other workloads still report.
                var tally = new ErrorTally();
                tally.Add(e);
                results.Add(WorkloadResult.ForOperations(name, name + "-setup", 0, 0, TimeSpan.Zero, LatencySummary.Empty, tally));
            }
        }

        var run = new BenchRun(options.Label, options.Url?.ToString(), options.Round, options.Seed, startedAt, Settings(options), results);
        await output.WriteLineAsync(Render(run));
        if (options.JsonPath is not null)
        {
            await run.WriteAsync(options.JsonPath, cancellationToken);
        }

        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private static async Task<int> CompareAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        string? baseline = null, candidate = null, outPath = null;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--baseline": baseline = Value(); break;
                case "--candidate": candidate = Value(); break;
                case "--out": outPath = Value(); break;
                default: files.Add(args[i]); break;
            }
        }

        if (baseline is null || candidate is null || files.Count == 0)
        {
            throw new ArgumentException("compare needs --baseline, --candidate and result files.");
        }

        var runs = new List<BenchRun>();
        foreach (var file in files)
        {
            runs.Add(await BenchRun.ReadAsync(file, cancellationToken));
        }

        var table = Comparison.Render(runs, baseline, candidate);
        await output.WriteLineAsync(table);
        if (outPath is not null)
        {
            await File.WriteAllTextAsync(outPath, table, cancellationToken);
        }

        return 0;
    }

    private static IWorkload Create(string name) => name switch
    {
        "push" => new LargeBlobPushWorkload(),
        "monolithic" => new MonolithicPushWorkload(),
        "pull" => new LargeBlobPullWorkload(),
        "small" => new SmallBlobsWorkload(),
        "reads" => new HotReadsWorkload(),
        "tags" => new ManifestsAndTagsWorkload(),
        "listings" => new ListingsWorkload(),
        "image" => new ImageWorkload(),
        "limits" => new MachineLimitsWorkload(),
        _ => throw new ArgumentException($"Unknown workload '{name}'."),
    };

    private static string Render(BenchRun run)
    {
        var table = new TextTable("figure", "unit", "throughput", "ops", "p50 ms", "p99 ms", "max ms", "errors");
        foreach (var r in run.Results)
        {
            table.Add(r.Name, r.Unit, TextTable.Number(r.Throughput), r.Operations.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TextTable.Number(r.P50Ms), TextTable.Number(r.P99Ms), TextTable.Number(r.MaxMs), r.Errors == 0 ? "0" : $"{r.Errors}: {r.FirstError}");
        }

        return table.ToString();
    }

    private static Dictionary<string, string> Settings(BenchOptions o) => new()
    {
        ["concurrency"] = o.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["blobSize"] = SizeText.Format(o.BlobSize),
        ["chunkSize"] = SizeText.Format(o.ChunkSize),
        ["smallCount"] = o.SmallCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["smallSize"] = SizeText.Format(o.SmallSize),
        ["reads"] = o.ReadsCount is { } n ? $"{n} ops" : $"{o.ReadsSeconds} s",
        ["manifests"] = o.Manifests.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["tags"] = o.Tags.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["pageSize"] = o.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["layers"] = $"{o.Layers} × {SizeText.Format(o.LayerMin)}..{SizeText.Format(o.LayerMax)}, {o.Parallel} in parallel",
    };
}

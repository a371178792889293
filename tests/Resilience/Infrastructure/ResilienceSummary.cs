using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>One scenario's line in the summary.</summary>
public sealed record ScenarioResult(string Scenario, int Requests, int Faults, IReadOnlyList<string> Violations, TimeSpan Duration);

/// <summary>
/// The table issue 20 asks for (scenario, requests, faults injected, invariant violations):
/// each scenario writes the table so far to its output, and the collection's end writes the
/// whole table to the console and to <see cref="ResilienceSettings.SummaryPath"/>.
/// </summary>
public sealed class ResilienceSummary
{
    private readonly ConcurrentQueue<ScenarioResult> _results = new();

    public void Add(ScenarioResult result) => _results.Enqueue(result);

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | requests | faults injected | invariant violations | seconds |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var result in _results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Scenario} | {result.Requests} | {result.Faults} | {result.Violations.Count} | {result.Duration.TotalSeconds:0.0} |");
        }

        foreach (var result in _results.Where(r => r.Violations.Count > 0))
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{result.Scenario}:");
            foreach (var violation in result.Violations.Take(20))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {violation}");
            }
        }

        return text.ToString();
    }

    public void Publish()
    {
        if (_results.IsEmpty)
        {
            return;
        }

        var table = Table();
        var path = ResilienceSettings.SummaryPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "# Resilience summary" + Environment.NewLine + Environment.NewLine + table);
        Console.WriteLine($"Resilience summary ({path}):{Environment.NewLine}{table}");
    }
}

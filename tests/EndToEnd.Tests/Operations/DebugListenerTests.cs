using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RegistryCloud.EndToEnd.Tests.Conformance;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Operations;

/// <summary>
/// <c>http.debug.addr</c> on the running registry: <c>/metrics</c> gathers every service's
/// figures, and they move when a push happens; <c>/debug/health</c> answers Distribution's body;
/// neither answers on the registry's address, whatever Host a request names, and the debug address
/// serves nothing of the registry API.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed partial class DebugListenerTests(RegistryAppFixture registry)
{
    /// <summary>Each scrape gathers every replica's metrics: look twice a second, not every 20 ms.</summary>
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(500);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_of_the_services_are_scraped_from_the_debug_address_and_move_after_a_push()
    {
        using var debug = DebugClient();
        var before = await ScrapeAsync(debug);
        var repository = ConformanceRequests.NewRepository("metrics");

        await registry.Http.PushImageAsync(repository, ConformanceRequests.Image("metrics-push"), "v1");

        // Scrapes are cached briefly and request metrics land as responses complete: poll a little.
        var after = await Poll.UntilAsync(
            () => ScrapeAsync(debug),
            scrape => Unmoved(before, scrape) is null,
            scrape => $"{Unmoved(before, scrape)} after a push:{Environment.NewLine}{scrape}",
            TimeSpan.FromSeconds(15),
            ScrapeInterval);
        Assert.Contains("service=\"notifierservice\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("not scraped", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_health_answers_200_with_no_failing_checks_and_the_registry_address_serves_neither()
    {
        using var debug = DebugClient();

        using var health = await debug.GetAsync("debug/health", Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("{}", (await health.Content.ReadAsStringAsync(Token)).Trim());

        using var metrics = await registry.Http.GetAsync("metrics", Token);
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
    }

    [Fact]
    public async Task The_registry_address_answers_404_to_debug_paths_with_a_Host_header_naming_the_debug_port()
    {
        using var debug = DebugClient();

        foreach (var path in new[] { "metrics", "debug/health" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = $"127.0.0.1:{registry.DebugAddress!.Port}";
            using var response = await registry.Http.SendAsync(request, Token);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET /{path} with Host: {request.Headers.Host} answered {(int)response.StatusCode}");
        }

        using var api = await debug.GetAsync("v2/", Token);
        Assert.True(api.StatusCode == HttpStatusCode.NotFound, $"GET /v2/ on the debug address answered {(int)api.StatusCode}");
    }

    [Fact]
    public async Task The_garbage_collector_runs_on_a_BlobService_replica_and_its_runs_are_in_the_metrics()
    {
        using var debug = DebugClient();

        // The fixture collects every two seconds: a run shows up soon after start.
        var metrics = await Poll.UntilAsync(
            () => ScrapeAsync(debug),
            scrape => Sum(scrape, "registry_gc_runs_total", "blobservice", "registry_gc_outcome=\"ok\"") >= 1,
            scrape => "no garbage collection run in the metrics:" + Environment.NewLine + scrape,
            TimeSpan.FromSeconds(30),
            ScrapeInterval);

        Assert.Contains("registry_gc_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Equal(0, Sum(metrics, "registry_gc_runs_total", "blobservice", "registry_gc_outcome=\"failed\""));
    }

    /// <summary>What did not move between the scrapes, or null when everything a push moves did.</summary>
    private static string? Unmoved(string before, string after)
    {
        // PUTs only: health probes keep every service's GET count moving on their own.
        const string Puts = "http_request_method=\"PUT\"";
        foreach (var service in new[] { "gateway", "blobservice", "manifestservice" })
        {
            if (Sum(after, "http_server_request_duration_seconds_count", service, Puts) <= Sum(before, "http_server_request_duration_seconds_count", service, Puts))
            {
                return $"{service}'s PUT count did not move";
            }
        }

        // Three pushes (config, layer, manifest), each an event on the stream.
        if (Sum(after, "registry_events_published_total", "blobservice") < Sum(before, "registry_events_published_total", "blobservice") + 2)
        {
            return "blobservice's published events did not move by 2";
        }

        return Sum(after, "registry_events_published_total", "manifestservice") > Sum(before, "registry_events_published_total", "manifestservice")
            ? null
            : "manifestservice's published events did not move";
    }

    private HttpClient DebugClient()
    {
        Assert.SkipWhen(registry.DebugAddress is null, "the registry under test was not started by this fixture, so its debug address is unknown");
        return new HttpClient { BaseAddress = registry.DebugAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    private static async Task<string> ScrapeAsync(HttpClient debug)
    {
        using var response = await debug.GetAsync("metrics", Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /metrics answered {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>The sum of every sample of <paramref name="metric"/> labelled with <paramref name="service"/> (and <paramref name="label"/>).</summary>
    private static double Sum(string exposition, string metric, string service, string label = "") =>
        Sample().Matches(exposition)
            .Where(match => match.Groups["name"].Value == metric
                && match.Groups["labels"].Value.Contains($"service=\"{service}\"", StringComparison.Ordinal)
                && match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            .Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^\n]*)\} (?<value>[-+0-9.eE]+|NaN)""", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

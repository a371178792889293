using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.ServiceDiscovery;

namespace RegistryCloud.Gateway.Debug;

/// <summary>
/// The debug listener's <c>/metrics</c> for the whole registry, as Distribution's one process
/// serves it: the gateway's own exposition merged with each backend's <c>/metrics</c> (every
/// instance service discovery knows), each sample labelled with <c>service</c> and
/// <c>instance</c>. A backend that does not answer in time is named in a comment line and left
/// out; the scrape still succeeds. In Kubernetes, scrape each pod's own <c>/metrics</c> instead:
/// there a service name resolves to one address in front of all its pods.
/// </summary>
internal sealed partial class DebugMetrics(
    ServiceEndpointResolver resolver, IHttpClientFactory clients, ILogger<DebugMetrics> logger)
{
    /// <summary>The services whose metrics the gateway gathers, by their service discovery names.</summary>
    public static readonly string[] Services = ["blobservice", "manifestservice", "notifierservice"];

    public const string HttpClientName = "debug-metrics";

    private const string TextFormat = "text/plain; version=0.0.4; charset=utf-8";
    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Runs before the gateway's own Prometheus exporter: asks it for the plain text format,
    /// catches what it writes, and answers the merge instead.
    /// </summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.Headers.Accept = TextFormat;
        var original = context.Response.Body;
        using var own = new MemoryStream();
        context.Response.Body = own;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            own.Position = 0;
            await own.CopyToAsync(original, context.RequestAborted);
            return;
        }

        var merge = new PrometheusMerge();
        merge.Add(System.Text.Encoding.UTF8.GetString(own.GetBuffer(), 0, (int)own.Length), [new("service", "gateway")]);
        var scrapes = await Task.WhenAll(Services.Select(service => ScrapeServiceAsync(service, context.RequestAborted)));
        foreach (var (service, instance, text, problem) in scrapes.SelectMany(scrape => scrape))
        {
            if (text is null)
            {
                merge.Comment($"registrycloud: {service} {instance}: not scraped ({problem})");
            }
            else
            {
                merge.Add(text, [new("service", service), new("instance", instance)]);
            }
        }

        var body = System.Text.Encoding.UTF8.GetBytes(merge.ToString());
        context.Response.ContentType = TextFormat;
        context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }

    private async Task<IReadOnlyList<Scrape>> ScrapeServiceAsync(string service, CancellationToken cancellationToken)
    {
        IReadOnlyList<Uri> instances;
        try
        {
            var source = await resolver.GetEndpointsAsync($"http://{service}", cancellationToken);
            instances = [.. source.Endpoints.Select(endpoint => BaseAddress(endpoint.EndPoint)).OfType<Uri>()];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return [new Scrape(service, "-", null, "no endpoint: " + e.Message)];
        }

        if (instances.Count == 0)
        {
            return [new Scrape(service, "-", null, "no endpoint")];
        }

        return await Task.WhenAll(instances.Select(instance => ScrapeInstanceAsync(service, instance, cancellationToken)));
    }

    private async Task<Scrape> ScrapeInstanceAsync(string service, Uri instance, CancellationToken cancellationToken)
    {
        var name = instance.Authority;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScrapeTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(instance, "/metrics"));
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(TextFormat));
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new Scrape(service, name, null, $"answered {(int)response.StatusCode}");
            }

            return new Scrape(service, name, await response.Content.ReadAsStringAsync(timeout.Token), null);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogScrapeFailed(logger, service, name, e.Message);
            return new Scrape(service, name, null, e is OperationCanceledException ? "timed out" : e.Message);
        }
    }

    private static Uri? BaseAddress(EndPoint endPoint) => endPoint switch
    {
        UriEndPoint uri => uri.Uri,
        DnsEndPoint dns => new Uri($"http://{dns.Host}:{dns.Port}"),
        IPEndPoint ip => new Uri($"http://{ip}"),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metrics of {Service} at {Instance} were not scraped: {Problem}")]
    private static partial void LogScrapeFailed(ILogger logger, string service, string instance, string problem);

    private sealed record Scrape(string Service, string Instance, string? Text, string? Problem);
}

using System.Text.Json;
using RegistryCloud.Gateway.Authentication;
using RegistryCloud.Gateway.Logging;
using RegistryCloud.Gateway.Routing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace RegistryCloud.Gateway.Authorization;

/// <summary>
/// Reads pages of ManifestService's catalog for <see cref="CatalogFilter"/> as the proxy would
/// send them: to a destination of the manifests cluster, through that cluster's own HTTP client
/// (its connections, its settings, no retries: a ManifestService that is down answers 503 at once),
/// and writes the filtered page.
/// </summary>
internal sealed partial class CatalogPages(IProxyStateLookup proxy, ILogger<CatalogPages> logger)
{
    /// <summary>What the services learn of the caller, as on a proxied request.</summary>
    private static readonly string[] ForwardedHeaders = [RequestIdMiddleware.HeaderName, RegistryAuthentication.UserHeader];

    /// <summary>Far above a page of 10,000 names of at most 255 characters.</summary>
    private const int MaxPageBytes = 16 * 1024 * 1024;

    /// <summary>Up to <paramref name="size"/> names after <paramref name="after"/>; null when ManifestService cannot answer.</summary>
    public async Task<CatalogPage?> ReadAsync(HttpContext context, string? after, int size)
    {
        if (!proxy.TryGetCluster(RegistryClusterSelector.ManifestsClusterId, out var cluster) || Destination(cluster) is not { } address)
        {
            LogFailed(logger, "no manifests destination is configured");
            return null;
        }

        var uri = $"{address.TrimEnd('/')}/v2/_catalog?n={size}{(after is null ? "" : "&last=" + Uri.EscapeDataString(after))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var header in ForwardedHeaders)
        {
            if (context.Request.Headers[header].ToString() is { Length: > 0 } value)
            {
                request.Headers.TryAddWithoutValidation(header, value);
            }
        }

        try
        {
            using var response = await cluster.Model.HttpClient.SendAsync(request, context.RequestAborted);
            if (response.StatusCode != System.Net.HttpStatusCode.OK || response.Content.Headers.ContentLength > MaxPageBytes)
            {
                return Fail($"ManifestService answered {(int)response.StatusCode}");
            }

            using var buffer = await ReadBoundedAsync(response.Content, context.RequestAborted);
            return buffer is null || Names(buffer) is not { } names
                ? Fail("ManifestService answered no catalog page")
                : new CatalogPage(names, response.Headers.Contains("Link"));
        }
        catch (Exception error) when (error is HttpRequestException or JsonException || (error is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            return Fail(error.Message);
        }
    }

    /// <summary>Writes <c>{"repositories":[...]}</c> as ManifestService does.</summary>
    public static async Task WriteAsync(HttpResponse response, IReadOnlyList<string> names)
    {
        using var output = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("repositories");
            foreach (var name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = output.Length;
        await response.Body.WriteAsync(output.GetBuffer().AsMemory(0, (int)output.Length), response.HttpContext.RequestAborted);
    }

    /// <summary>The body, or null when it runs past <see cref="MaxPageBytes"/>.</summary>
    private static async Task<MemoryStream?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var body = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxPageBytes)
            {
                await buffer.DisposeAsync();
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    private static List<string>? Names(Stream page)
    {
        using var document = JsonDocument.Parse(page);
        if (!document.RootElement.TryGetProperty("repositories", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var names = new List<string>(list.GetArrayLength());
        foreach (var name in list.EnumerateArray())
        {
            if (name.ValueKind == JsonValueKind.String)
            {
                names.Add(name.GetString()!);
            }
        }

        return names;
    }

    private static string? Destination(ClusterState cluster)
    {
        var destinations = cluster.DestinationsState.AvailableDestinations is { Count: > 0 } available ? available : cluster.DestinationsState.AllDestinations;
        return destinations.Count == 0 ? null : destinations[Random.Shared.Next(destinations.Count)].Model.Config.Address;
    }

    private CatalogPage? Fail(string problem)
    {
        LogFailed(logger, problem);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog page not read from ManifestService: {Problem}")]
    private static partial void LogFailed(ILogger logger, string problem);
}

/// <summary>One page of ManifestService's catalog, and whether its <c>Link</c> said more follow.</summary>
internal sealed record CatalogPage(IReadOnlyList<string> Names, bool HasMore);

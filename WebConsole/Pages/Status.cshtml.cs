using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>One webhook endpoint's delivery status, as NotifierService's <c>GET /endpoints</c> reports it.</summary>
public sealed record WebhookStatus(string Name, bool Disabled, long Pending, long Delivered, long Failed, long DeadLetters, int? LastStatus, string? LastError, string? LastDeliveredAt);

/// <summary>
/// The registry's version, whether the gateway answers for this user, and the operators' data,
/// shown only to a caller the gateway accepts at <c>/v2/</c>: storage used and garbage collection
/// (BlobService's <c>GET /status</c>) and webhook delivery (NotifierService's <c>GET /endpoints</c>),
/// each read from the service directly, since the gateway routes neither.
/// </summary>
public sealed class StatusModel(RegistryClient registry, IHttpClientFactory clients, WebConsoleOptions options, TimeProvider time) : ConsolePageModel
{
    public HttpStatusCode? RegistryStatus { get; private set; }

    public IReadOnlyList<WebhookStatus>? Webhooks { get; private set; }

    public string? WebhooksProblem { get; private set; }

    public LifecycleView? Lifecycle { get; private set; }

    public string? LifecycleProblem { get; private set; }

    /// <summary>The time the page was made, for the ages it shows.</summary>
    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            RegistryStatus = await registry.CheckAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            Problem = "The registry could not be reached.";
            return Page();
        }

        if (RegistryStatus != HttpStatusCode.OK)
        {
            return Page();
        }

        var lifecycle = options.Blobs is null ? null : ReadAsync(nameof(WebConsoleOptions.Blobs), "status", "BlobService", LifecycleView.Parse, cancellationToken);
        var webhooks = options.Notifier is null ? null : ReadAsync(nameof(WebConsoleOptions.Notifier), "endpoints", "NotifierService", ParseWebhooks, cancellationToken);
        if (lifecycle is not null)
        {
            (Lifecycle, LifecycleProblem) = await lifecycle;
        }

        if (webhooks is not null)
        {
            (Webhooks, WebhooksProblem) = await webhooks;
        }

        return Page();
    }

    /// <summary>A service's JSON answer, or why it could not be had.</summary>
    private async Task<(T? Value, string? Problem)> ReadAsync<T>(string client, string path, string service, Func<JsonElement, T> parse, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await clients.CreateClient(client).GetAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{service} answered {(int)response.StatusCode}.");
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            return (parse(json.RootElement), null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            return (null, $"{service} could not be reached.");
        }
    }

    private static IReadOnlyList<WebhookStatus> ParseWebhooks(JsonElement root)
    {
        var endpoints = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("endpoints", out var list) ? list : root;
        if (endpoints.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. endpoints.EnumerateArray().Select(endpoint => new WebhookStatus(
            ManifestView.String(endpoint, "name") ?? "",
            endpoint.TryGetProperty("disabled", out var disabled) && disabled.ValueKind == JsonValueKind.True,
            ManifestView.Number(endpoint, "pending"),
            ManifestView.Number(endpoint, "delivered"),
            ManifestView.Number(endpoint, "failed"),
            ManifestView.Number(endpoint, "deadLetters"),
            endpoint.TryGetProperty("lastStatus", out var last) && last.TryGetInt32(out var code) ? code : null,
            ManifestView.String(endpoint, "lastError"),
            ManifestView.String(endpoint, "lastDeliveredAt")))];
    }
}

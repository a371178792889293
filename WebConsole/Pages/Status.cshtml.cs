using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RegistryCloud.WebConsole.Registry;

namespace RegistryCloud.WebConsole.Pages;

/// <summary>One webhook endpoint's delivery status, as NotifierService's <c>GET /endpoints</c> reports it.</summary>
public sealed record WebhookStatus(string Name, bool Disabled, long Pending, long Delivered, long Failed, long DeadLetters, int? LastStatus, string? LastError, string? LastDeliveredAt);

/// <summary>
/// The registry's version, whether the gateway answers for this user, and webhook delivery
/// status (operators' data: shown only to a caller the gateway accepts at <c>/v2/</c>).
/// Storage use and garbage-collection runs are not exposed by the services yet, and the page says so.
/// </summary>
public sealed class StatusModel(RegistryClient registry, IHttpClientFactory clients, WebConsoleOptions options) : ConsolePageModel
{
    public HttpStatusCode? RegistryStatus { get; private set; }

    public IReadOnlyList<WebhookStatus>? Webhooks { get; private set; }

    public string? WebhooksProblem { get; private set; }

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

        if (RegistryStatus == HttpStatusCode.OK && options.Notifier is not null)
        {
            Webhooks = await ReadWebhooksAsync(cancellationToken);
        }

        return Page();
    }

    private async Task<IReadOnlyList<WebhookStatus>?> ReadWebhooksAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient(nameof(WebConsoleOptions.Notifier)).GetAsync("endpoints", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                WebhooksProblem = $"NotifierService answered {(int)response.StatusCode}.";
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            var endpoints = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("endpoints", out var list) ? list : json.RootElement;
            if (endpoints.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return [.. endpoints.EnumerateArray().Select(endpoint => new WebhookStatus(
                ManifestView.String(endpoint, "name") ?? "",
                endpoint.TryGetProperty("disabled", out var disabled) && disabled.ValueKind == JsonValueKind.True,
                Number(endpoint, "pending"),
                Number(endpoint, "delivered"),
                Number(endpoint, "failed"),
                Number(endpoint, "deadLetters"),
                endpoint.TryGetProperty("lastStatus", out var last) && last.TryGetInt32(out var code) ? code : null,
                ManifestView.String(endpoint, "lastError"),
                ManifestView.String(endpoint, "lastDeliveredAt")))];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            WebhooksProblem = "NotifierService could not be reached.";
            return null;
        }
    }

    private static long Number(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.TryGetInt64(out var number) ? number : 0;
}

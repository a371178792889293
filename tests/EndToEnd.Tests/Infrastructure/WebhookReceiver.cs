using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A webhook endpoint on 127.0.0.1 that the registry's NotifierService delivers to: it keeps every
/// event of every envelope, in arrival order, with the content type each envelope came with.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentQueue<string> _contentTypes = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyCollection<string> ContentTypes => _contentTypes;

    public static async Task<WebhookReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/events", async (HttpContext context) =>
        {
            receiver._contentTypes.Enqueue(context.Request.ContentType ?? "");
            var envelope = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            foreach (var item in envelope?["events"]?.AsArray() ?? [])
            {
                if (item is JsonObject received)
                {
                    receiver._events.Enqueue((JsonObject)received.DeepClone());
                }
            }

            return Results.Ok();
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/events";
        return receiver;
    }

    /// <summary>The events received so far for one repository, in arrival order.</summary>
    public IReadOnlyList<JsonObject> EventsFor(string repository) =>
        _events.Where(e => e["target"]?["repository"]?.GetValue<string>() == repository).ToList();

    /// <summary>Waits until <paramref name="done"/> holds for a repository's events, or the time is up.</summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForAsync(string repository, Func<IReadOnlyList<JsonObject>, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = EventsFor(repository);
            if (done(events) || DateTime.UtcNow > deadline)
            {
                return events;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

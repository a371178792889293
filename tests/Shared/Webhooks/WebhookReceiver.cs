using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// A real webhook endpoint the notifier delivers to: Kestrel on 127.0.0.1 and a free port. It
/// keeps every request in arrival order; <see cref="Respond"/> decides each answer (and may wait),
/// and an event counts as accepted only when a 2xx reached the sender.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>What <see cref="Respond"/> returns to reset the connection instead of answering.</summary>
    public const int ResetConnection = -2;

    private readonly Lock _gate = new();
    private readonly List<WebhookRequest> _requests = [];
    private readonly List<JsonObject> _accepted = [];
    private WebApplication _app = null!;
    private int _count;

    /// <summary>Answers each request; the default accepts everything.</summary>
    public Func<WebhookRequest, CancellationToken, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    /// <summary>Where to deliver: <c>http://127.0.0.1:port/events</c>.</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<WebhookRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Ids of the events the receiver accepted, in the order it accepted them.</summary>
    public IReadOnlyList<string> Accepted
    {
        get
        {
            lock (_gate)
            {
                return [.. _accepted.Select(WebhookRequest.IdOf)];
            }
        }
    }

    /// <summary>Every event the receiver accepted, in the order it accepted them (a redelivered event once per delivery).</summary>
    public IReadOnlyList<JsonObject> AcceptedEvents
    {
        get
        {
            lock (_gate)
            {
                return [.. _accepted];
            }
        }
    }

    /// <summary>The content type of every request, in arrival order.</summary>
    public IReadOnlyList<string> ContentTypes => [.. Requests.Select(request => request.ContentType ?? "")];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        (receiver._app, var address) = await LoopbackApp.StartAsync(app => app.MapPost("/{**path}", receiver.HandleAsync));
        receiver.Url = new Uri(address + "/events");
        return receiver;
    }

    /// <summary>The accepted events of one repository, in the order they were accepted.</summary>
    public IReadOnlyList<JsonObject> EventsFor(string repository)
    {
        lock (_gate)
        {
            return [.. _accepted.Where(e => e["target"]?["repository"]?.GetValue<string>() == repository)];
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events were accepted; returns the ids of all accepted.</summary>
    public Task<IReadOnlyList<string>> WaitForAcceptedAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => Task.FromResult(Accepted),
            accepted => accepted.Count >= count,
            accepted => $"the receiver accepted {accepted.Count} events, not {count}: [{string.Join(", ", accepted)}]",
            timeout);

    /// <summary>Waits until at least <paramref name="count"/> requests arrived; returns them all.</summary>
    public Task<IReadOnlyList<WebhookRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => Task.FromResult(Requests),
            requests => requests.Count >= count,
            requests => $"the receiver got {requests.Count} requests, not {count}",
            timeout);

    /// <summary>
    /// Waits until <paramref name="done"/> holds for a repository's events, or the time is up, and
    /// returns the events either way, so the caller's assertion can show what did arrive.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForAsync(
        string repository, Func<IReadOnlyList<JsonObject>, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var events = EventsFor(repository);
        while (!done(events) && !bounded.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), bounded.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The time is up: the caller asserts on what arrived.
            }

            events = EventsFor(repository);
        }

        return events;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        // Kestrel reuses a request's header collection once it completes: keep a copy.
        var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(header => header.Key, header => header.Value, StringComparer.OrdinalIgnoreCase));
        var request = new WebhookRequest(Interlocked.Increment(ref _count), DateTimeOffset.UtcNow, context.Request.ContentType, ReadEvents(body), body, headers)
        {
            RemotePort = context.Connection.RemotePort,
        };
        lock (_gate)
        {
            _requests.Add(request);
        }

        int status;
        try
        {
            status = await Respond(request, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (status == ResetConnection)
        {
            context.Abort();
            return;
        }

        lock (_gate)
        {
            request.Status = status;
            if (status is >= 200 and < 300 && !context.RequestAborted.IsCancellationRequested)
            {
                _accepted.AddRange(request.Events);
            }
        }

        context.Response.StatusCode = status;
    }

    private static List<JsonObject> ReadEvents(byte[] body) =>
        [.. (JsonNode.Parse(body)?["events"]?.AsArray() ?? []).OfType<JsonObject>().Select(e => (JsonObject)e.DeepClone())];
}

/// <summary>One request the receiver got, and what it answered (-1: the sender gave up waiting).</summary>
public sealed record WebhookRequest(int Number, DateTimeOffset At, string? ContentType, IReadOnlyList<JsonObject> Events, byte[] Body, IHeaderDictionary Headers)
{
    public int Status { get; set; } = -1;

    /// <summary>The sender's TCP port, which tells which process sent it.</summary>
    public int RemotePort { get; init; }

    /// <summary>The ids of the envelope's events, in order.</summary>
    public IReadOnlyList<string> EventIds => [.. Events.Select(IdOf)];

    internal static string IdOf(JsonObject e) => e["id"]?.GetValue<string>() ?? "";
}

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RegistryCloud.NotifierService.Tests.Infrastructure;

/// <summary>One request the receiver got, and what it answered (-1: the sender gave up waiting).</summary>
public sealed record ReceivedRequest(int Number, DateTimeOffset At, string? ContentType, IReadOnlyList<string> EventIds, byte[] Body, IHeaderDictionary Headers)
{
    public int Status { get; set; } = -1;
}

/// <summary>
/// A real webhook endpoint: Kestrel on 127.0.0.1 and a free port. <see cref="Respond"/> decides
/// each answer (and may wait); an event counts as accepted only when a 2xx reached the sender.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly List<string> _accepted = [];
    private WebApplication _app = null!;
    private int _count;

    /// <summary>Answers each request; the default accepts everything.</summary>
    public Func<ReceivedRequest, CancellationToken, Task<int>> Respond { get; set; } = (_, _) => Task.FromResult(200);

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Event ids in the order the receiver accepted them.</summary>
    public IReadOnlyList<string> Accepted
    {
        get
        {
            lock (_gate)
            {
                return [.. _accepted];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        receiver._app = builder.Build();
        receiver._app.MapPost("/{**path}", receiver.HandleAsync);
        await receiver._app.StartAsync();
        receiver.Url = new Uri(receiver._app.Urls.First() + "/events");
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> events were accepted.</summary>
    public async Task<IReadOnlyList<string>> WaitForAcceptedAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Accepted.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the receiver accepted {Accepted.Count} events, not {count}: [{string.Join(", ", Accepted)}]");
            }

            await Task.Delay(20);
        }

        return Accepted;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var ids = ReadEventIds(body);
        // Kestrel reuses a request's header collection once it completes: keep a copy.
        var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(header => header.Key, header => header.Value, StringComparer.OrdinalIgnoreCase));
        var request = new ReceivedRequest(Interlocked.Increment(ref _count), DateTimeOffset.UtcNow, context.Request.ContentType, ids, body, headers);
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

        lock (_gate)
        {
            request.Status = status;
            if (status is >= 200 and < 300 && !context.RequestAborted.IsCancellationRequested)
            {
                _accepted.AddRange(ids);
            }
        }

        context.Response.StatusCode = status;
    }

    private static List<string> ReadEventIds(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }
}

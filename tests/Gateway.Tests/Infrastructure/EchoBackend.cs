using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// A stand-in for BlobService or ManifestService: real Kestrel on 127.0.0.1 with a port of its
/// own, answering every request with 200 and a JSON echo of what it received, and keeping a log
/// of those requests so tests can tell which backend a request reached, or that none did.
/// </summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received;

    private EchoBackend(string name, WebApplication app, ConcurrentQueue<ReceivedRequest> received, string address)
    {
        Name = name;
        _app = app;
        _received = received;
        Address = address;
    }

    public string Name { get; }

    /// <summary><c>http://127.0.0.1:port</c>, as a YARP destination address.</summary>
    public string Address { get; }

    public IReadOnlyCollection<ReceivedRequest> Received => _received.ToArray();

    /// <summary>
    /// Starts a backend; <paramref name="answers"/>, when given, may answer a request with JSON of
    /// its own (a catalog page, say, setting headers as it likes) instead of the echo. Every
    /// request is logged either way.
    /// </summary>
    public static async Task<EchoBackend> StartAsync(string name, Func<HttpContext, string?>? answers = null)
    {
        var received = new ConcurrentQueue<ReceivedRequest>();
        var (app, address) = await LoopbackApp.StartAsync(app => app.Run(async context =>
        {
            var request = context.Request;
            var bodyLength = await DrainAsync(request.Body, context.RequestAborted);
            var echo = new ReceivedRequest(
                name,
                request.Method,
                request.Path.Value ?? "",
                request.QueryString.Value ?? "",
                HeaderOrNull(request.Headers, "X-Request-Id"),
                HeaderOrNull(request.Headers, "X-RegistryCloud-User"),
                bodyLength);
            received.Enqueue(echo);
            if (answers?.Invoke(context) is { } answer)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer, context.RequestAborted);
                return;
            }

            await context.Response.WriteAsJsonAsync(echo, context.RequestAborted);
        }));
        return new EchoBackend(name, app, received, address);
    }

    public bool Saw(string path) => _received.Any(request => request.Path == path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static string? HeaderOrNull(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) ? values.ToString() : null;

    private static async Task<long> DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}

/// <summary>What a backend received: which backend, the request line, the headers the gateway adds, the body's size.</summary>
internal sealed record ReceivedRequest(
    string Backend, string Method, string Path, string Query, string? RequestId, string? User, long BodyLength)
{
    /// <summary>The echo a backend answered with, as it came through the gateway.</summary>
    public static async Task<ReceivedRequest> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<ReceivedRequest>(TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException("the backend answered no echo");
}

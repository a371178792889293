using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// A loopback HTTP forwarder in front of an upstream registry that counts what passes ("GET
/// blobs", "HEAD manifests", ...), so a test can tell how often the code under test went
/// upstream. <see cref="HoldBlobBodies"/> keeps blob bodies back until <see cref="Release"/>.
/// </summary>
public sealed class CountingForwarder : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CountingForwarder(WebApplication app, string address, HttpClient upstream)
    {
        _app = app;
        Address = address;
        _upstream = upstream;
    }

    public string Address { get; }

    public bool HoldBlobBodies { get; set; }

    /// <summary>How many requests of <paramref name="method"/> went to <c>blobs</c> or <c>manifests</c>.</summary>
    public int Count(string method, string kind) => _counts.GetValueOrDefault($"{method} {kind}");

    public void Release() => _released.TrySetResult();

    public static async Task<CountingForwarder> StartAsync(string upstream)
    {
        CountingForwarder? forwarder = null;
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = new Uri(upstream) };
        var (app, address) = await LoopbackApp.StartAsync(app => app.Run(context => forwarder!.ForwardAsync(context)));
        forwarder = new CountingForwarder(app, address, client);
        return forwarder;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var kind = path.Contains("/blobs/", StringComparison.Ordinal) ? "blobs" : path.Contains("/manifests/", StringComparison.Ordinal) ? "manifests" : "other";
        _counts.AddOrUpdate($"{context.Request.Method} {kind}", 1, (_, n) => n + 1);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), path + context.Request.QueryString);
        foreach (var header in context.Request.Headers)
        {
            if (header.Key is "Accept" or "Authorization")
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is not ("Transfer-Encoding" or "Connection"))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        if (kind == "blobs" && HoldBlobBodies && HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await _released.Task.WaitAsync(context.RequestAborted);
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Hosting.Tests;

/// <summary>
/// The exception handler every service installs: anything unexpected is UNKNOWN/500, but a request
/// body that is malformed or ends early is the client's doing: SIZE_INVALID, and no error in the log.
/// </summary>
public sealed class OciExceptionHandlerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_malformed_chunked_body_answers_400_SIZE_INVALID_and_logs_no_error()
    {
        var logs = new LogCapture(LogLevel.Warning);
        await using var app = await StartAsync(logs);

        var answer = await SendAsync(app, "POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("\"SIZE_INVALID\"", answer, StringComparison.Ordinal);
        await app.StopAsync(Token);
        Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task An_unexpected_exception_still_answers_500_UNKNOWN_and_is_logged_as_an_error()
    {
        var logs = new LogCapture(LogLevel.Warning);
        await using var app = await StartAsync(logs);

        var answer = await SendAsync(app, "GET /fail HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 500", answer, StringComparison.Ordinal);
        Assert.Contains("\"UNKNOWN\"", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", answer, StringComparison.Ordinal);
        await app.StopAsync(Token);
        Assert.Contains(logs.Lines, line => line.Level == LogLevel.Error);
    }

    [Fact]
    public async Task A_client_that_goes_away_while_the_error_is_written_gets_nothing_and_logs_no_error()
    {
        var logs = new LogCapture(LogLevel.Warning);
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddMetrics()
            .AddSingleton(new DiagnosticListener("test"))
            .BuildServiceProvider();
        var pipeline = new ApplicationBuilder(services);
        pipeline.UseOciExceptionHandler();
        pipeline.Run(_ => throw new BadHttpRequestException("Unexpected end of request content."));
        using var gone = new CancellationTokenSource();
        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = gone.Token };

        // As Kestrel does when the connection drops while the answer is written: the write fails, cancelled.
        context.Response.Body = new GoneClientStream(gone);
        await pipeline.Build()(context);

        Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Error);
    }

    private static async Task<WebApplication> StartAsync(LogCapture logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseOciExceptionHandler();
        app.MapPost("/body", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            return Results.Ok();
        });
        app.MapGet("/fail", IResult () => throw new InvalidOperationException("a bug"));
        await app.StartAsync(Token);
        return app;
    }

    private static async Task<string> SendAsync(WebApplication app, string request)
    {
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var answer = await RawSocket.ExchangeAsync(new IPEndPoint(IPAddress.Loopback, address.Port), Encoding.ASCII.GetBytes(request), endOfInput: false, Token);
        return Encoding.ASCII.GetString(answer);
    }

    /// <summary>A response body whose client disconnects at the first write.</summary>
    private sealed class GoneClientStream(CancellationTokenSource gone) : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            gone.Cancel();
            return ValueTask.FromException(new OperationCanceledException(gone.Token));
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}

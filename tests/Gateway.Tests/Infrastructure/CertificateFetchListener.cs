using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP listener to name in a certificate's AIA <c>caIssuers</c> and CRL distribution
/// point: it counts every request it gets, and answers <see cref="IssuerUrl"/> with
/// <see cref="Issuer"/> when one is set, so a verifier that went to fetch a missing issuer would
/// find it. The gateway must never ask: <see cref="Requests"/> stays 0.
/// </summary>
internal sealed class CertificateFetchListener : ICertificateFetchUrls, IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private CertificateFetchListener(WebApplication app, string address)
    {
        _app = app;
        IssuerUrl = new Uri($"{address}/issuer.cer");
        CrlUrl = new Uri($"{address}/issuer.crl");
    }

    public Uri IssuerUrl { get; }

    public Uri CrlUrl { get; }

    /// <summary>The certificate served at <see cref="IssuerUrl"/>; null answers 404.</summary>
    public X509Certificate2? Issuer { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<CertificateFetchListener> StartAsync()
    {
        CertificateFetchListener? listener = null;
        var (app, address) = await LoopbackApp.StartAsync(app => app.Run(context =>
        {
            Interlocked.Increment(ref listener!._requests);
            if (context.Request.Path == listener.IssuerUrl.AbsolutePath && listener.Issuer is { } issuer)
            {
                context.Response.ContentType = "application/pkix-cert";
                return context.Response.Body.WriteAsync(issuer.RawData, context.RequestAborted).AsTask();
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
        listener = new CertificateFetchListener(app, address);
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

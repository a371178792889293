using System.Net.Http.Headers;
using RegistryCloud.Events;
using RegistryCloud.NotifierService.Endpoints;

namespace RegistryCloud.NotifierService.Delivery;

/// <summary>
/// POSTs envelopes to one endpoint: its headers, its timeout, no redirects followed (a 3xx is
/// already a delivery), and no retries of its own: retrying, ordering and backoff are the
/// worker's. Not an IHttpClientFactory client on purpose, because those get the service
/// defaults' resilience handler, whose retries and timeouts would hide failures from the worker.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private static readonly MediaTypeHeaderValue EnvelopeType = new(EventEnvelope.MediaType);
    private static readonly ProductInfoHeaderValue UserAgent = new("RegistryCloud-Notifier", "1.0");

    private readonly EndpointSettings _endpoint;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;

    public WebhookSender(EndpointSettings endpoint, TimeProvider time)
    {
        _endpoint = endpoint;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = endpoint.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<DeliveryOutcome> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = EnvelopeType;
        request.Headers.UserAgent.Add(UserAgent);
        foreach (var (name, values) in _endpoint.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, values)
                && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        if (_endpoint.Secret is { } secret)
        {
            request.Headers.TryAddWithoutValidation(_endpoint.SignatureHeader, EnvelopeWriter.Sign(secret, body));
        }

        using var timeout = new CancellationTokenSource(_endpoint.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = _time.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return DeliveryOutcome.FromStatus((int)response.StatusCode, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.NoResponse($"no response within {_endpoint.Timeout.TotalMilliseconds:0}ms", _time.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.NoResponse(e.Message, _time.GetElapsedTime(started));
        }
    }

    public void Dispose() => _client.Dispose();
}

using System.Globalization;

namespace RegistryCloud.Hosting.Health;

/// <summary>
/// <c>health.http</c>: a HEAD request to the URI (Distribution's checker sends HEAD) with the
/// configured headers, healthy when the answer has exactly the configured status code.
/// </summary>
public sealed class HttpHealthProbe(
    HttpClient client,
    Uri uri,
    IReadOnlyDictionary<string, IReadOnlyList<string>> headers,
    int statusCode,
    TimeSpan timeout,
    TimeProvider time) : IHealthProbe
{
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, uri);
        foreach (var (name, values) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var actual = (int)response.StatusCode;
            return actual == statusCode
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"{uri} answered {actual}, expected {statusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{uri} did not answer within {timeout}";
        }
        catch (HttpRequestException e)
        {
            return $"{uri} failed: {e.Message}";
        }
    }
}

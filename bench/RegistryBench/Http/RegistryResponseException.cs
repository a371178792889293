using System.Net;

namespace RegistryCloud.Bench.Http;

/// <summary>A registry answered with a status the operation does not expect.</summary>
internal sealed class RegistryResponseException(string operation, HttpStatusCode status, string body)
    : Exception($"{operation}: {(int)status} {status} {body}")
{
    public HttpStatusCode Status { get; } = status;

    public static async Task ThrowUnlessAsync(HttpResponseMessage response, HttpStatusCode expected, string operation, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new RegistryResponseException(operation, response.StatusCode, body.Length > 300 ? body[..300] : body);
    }
}

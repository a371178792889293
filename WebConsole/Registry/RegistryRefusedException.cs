using System.Net;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>
/// The registry API answered a request with an error: its status and the message of its OCI
/// error body, which pages show as they are (escaped) so the gateway's words reach the user.
/// </summary>
public sealed class RegistryRefusedException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsAuthenticationRequired => Status == HttpStatusCode.Unauthorized;

    public bool IsForbidden => Status == HttpStatusCode.Forbidden;
}

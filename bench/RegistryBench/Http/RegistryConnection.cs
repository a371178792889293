using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text;

namespace RegistryCloud.Bench.Http;

/// <summary>
/// The one <see cref="HttpClient"/> a run uses: a <see cref="SocketsHttpHandler"/> that keeps
/// as many connections open as there are concurrent clients, with no decompression, cookies or
/// per-request timeout (large blobs take as long as they take; runs are cancelled instead).
/// </summary>
internal static class RegistryConnection
{
    public static HttpClient Create(Uri baseAddress, string? user, string? password, bool insecure, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(connections, 1),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            // Blob GETs may redirect to object storage; the registry decides, the client follows.
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            InitialHttp2StreamWindowSize = 16 * 1024 * 1024,
        };

        if (insecure)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            };
        }

        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RegistryCloud.Bench", "1.0"));
        if (!string.IsNullOrEmpty(user))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return client;
    }
}

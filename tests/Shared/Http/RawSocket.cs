using System.Net;
using System.Net.Sockets;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// One HTTP/1.1 exchange over a plain socket, the request written byte for byte as given: for what
/// HttpClient refuses to send (a Content-Length that lies, malformed chunks, odd bytes).
/// </summary>
public static class RawSocket
{
    /// <summary>
    /// Connects to <paramref name="endpoint"/>, writes <paramref name="request"/> (with
    /// <paramref name="endOfInput"/>, then ends the sending side, so a body shorter than its
    /// Content-Length ends instead of keeping the server waiting) and returns every byte read until
    /// the server closes; a reset after the server's answer ends it as a close does. The request
    /// should ask for <c>Connection: close</c>. Cancelled by <paramref name="cancellationToken"/>.
    /// </summary>
    public static async Task<byte[]> ExchangeAsync(IPEndPoint endpoint, byte[] request, bool endOfInput, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint, cancellationToken);
        try
        {
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
            if (endOfInput)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            // The server may answer and close before taking the whole request (a header block
            // over its limit): what it answered is still to be read.
        }

        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (SocketException) when (received.Length > 0)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        return received.ToArray();
    }
}

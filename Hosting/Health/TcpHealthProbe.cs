using System.Net.Sockets;

namespace RegistryCloud.Hosting.Health;

/// <summary><c>health.tcp</c>: the address must accept a connection within the timeout.</summary>
public sealed class TcpHealthProbe(string host, int port, TimeSpan timeout, TimeProvider time) : IHealthProbe
{
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"connection to {host}:{port} timed out after {timeout}";
        }
        catch (SocketException e)
        {
            return $"connection to {host}:{port} failed: {e.Message}";
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// One scenario's client side: every request it sends goes through <see cref="SendAsync"/>, which
/// bounds it with a timeout and counts it; a request with no answer in that time is a hang, an
/// invariant violation. Pushes answered 201 go in the <see cref="Ledger"/>.
/// </summary>
public sealed class ScenarioRun(string name, Uri gateway) : IDisposable
{
    /// <summary>Ample for any one request of the scenarios on a loaded two-core machine; a request still unanswered after it hangs.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private const int Kept = 40;

    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private int _requests;
    private int _faults;
    private int _serverErrors;
    private int _connectionErrors;

    public string Name { get; } = name;

    public Ledger Ledger { get; } = new();

    /// <summary>No client-wide timeout: each request gets its own, so a hang is seen and counted, not thrown.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler
    {
        // A connection to a gateway that was killed must not be reused once it is back.
        PooledConnectionLifetime = TimeSpan.FromSeconds(5),
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 256,
    })
    {
        BaseAddress = gateway,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public int Requests => _requests;

    public int Faults => _faults;

    public int ServerErrors => _serverErrors;

    public int ConnectionErrors => _connectionErrors;

    public IReadOnlyCollection<string> Violations => _violations;

    /// <summary>The first requests that did not succeed (status and error body, or the exception), for the test's output.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Counts a fault the scenario injected (a kill, a full disk, a failing receiver...).</summary>
    public void Fault() => Interlocked.Increment(ref _faults);

    public void Violation(string violation) => _violations.Enqueue(violation);

    /// <summary>
    /// Sends with a bound: the response (any status), or null when the connection failed or was
    /// reset, which is an answer too. No answer within <paramref name="timeout"/> is a hang.
    /// </summary>
    public async Task<HttpResponseMessage?> SendAsync(HttpRequestMessage request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        var bound = timeout ?? RequestTimeout;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, TestContext.Current.CancellationToken);
        timer.CancelAfter(bound);
        var described = $"{request.Method} {request.RequestUri}";
        try
        {
            var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timer.Token);
            if ((int)response.StatusCode >= 500)
            {
                Interlocked.Increment(ref _serverErrors);
            }

            if (!response.IsSuccessStatusCode && _failures.Count < Kept)
            {
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                _failures.Enqueue($"{described} -> {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }

            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Violation($"hang: {described} had no answer within {bound.TotalSeconds:0} s");
            return null;
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref _connectionErrors);
            if (_failures.Count < Kept)
            {
                _failures.Enqueue($"{described} -> {e.Message}");
            }

            return null;
        }
    }

    /// <summary>As <see cref="SendAsync"/>, and the body read within the same bound.</summary>
    public async Task<(HttpStatusCode? Status, byte[] Body, HttpResponseMessage? Response)> SendForBodyAsync(HttpRequestMessage request, TimeSpan? timeout = null)
    {
        var response = await SendAsync(request, timeout);
        if (response is null)
        {
            return (null, [], null);
        }

        try
        {
            return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _connectionErrors);
            return (null, [], response);
        }
    }

    public void Dispose() => Http.Dispose();
}

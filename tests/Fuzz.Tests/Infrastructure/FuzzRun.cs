using System.Diagnostics;
using System.Globalization;
using System.Text;
using RegistryCloud.Fuzz.Tests.Properties;
using RegistryCloud.Fuzz.Tests.Requests;

namespace RegistryCloud.Fuzz.Tests.Infrastructure;

/// <summary>
/// Sends generated requests one at a time (so a run is the same sequence against the same state
/// every time), checks each answer, and counts what happened per area for the summary line.
/// </summary>
public sealed class FuzzRun(RegistryChain registry, FuzzSettings settings)
{
    private readonly string _authorization = RegistryChain.Basic(RegistryChain.User, RegistryChain.Password).ToString();
    private readonly Dictionary<string, int> _requests = Areas.All.ToDictionary(area => area, _ => 0);
    private readonly Dictionary<string, TimeSpan> _times = Areas.All.ToDictionary(area => area, _ => TimeSpan.Zero);
    private readonly SortedDictionary<int, int> _statuses = [];
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private int _sessions;
    private int _errorsLogged;

    public List<string> Violations { get; } = [];

    /// <summary>Sends one request (after opening the upload session it names) and records any property it breaks.</summary>
    public async Task SendAsync(FuzzRequest request, string replaySeed)
    {
        _requests[request.Area]++;
        string? uploadId = null;
        if (request.NeedsUpload)
        {
            uploadId = await OpenSessionAsync();
            _sessions++;
        }

        string? violation;
        RawResponse? response = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            response = await RawHttp.SendAsync(registry.Gateway, request.ToWire(_authorization, uploadId), request.Truncated, request.IsHead, settings.RequestTimeout);
            violation = response switch
            {
                null => $"no answer within {settings.RequestTimeout.TotalSeconds:0} s",
                // A body that ended before its Content-Length ended the connection: closing it is an answer.
                { Status: 0 } when request.Truncated => null,
                { Status: 0 } => "the connection closed without an answer",
                _ => ResponseProperties.Violation(request, response),
            };
        }
        catch (System.Net.Sockets.SocketException) when (request.Truncated)
        {
            violation = null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException)
        {
            violation = $"the connection failed: {e.GetType().Name}: {e.Message}";
        }

        _times[request.Area] += Stopwatch.GetElapsedTime(started);
        if (response is { Status: > 0 })
        {
            _statuses[response.Status] = _statuses.GetValueOrDefault(response.Status) + 1;
        }

        // An error a service logged is a failure even when the client saw a tidy answer.
        var errors = registry.Logs.Lines;
        if (errors.Count > _errorsLogged)
        {
            violation ??= "a service logged an error";
            violation += "\n  logged: " + string.Join("\n  logged: ", errors.Skip(_errorsLogged).Select(line => RawResponse.Shorten(line.ToString(), 3000)));
            _errorsLogged = errors.Count;
        }

        if (violation is not null)
        {
            Violations.Add($"{violation}\n  replay: {FuzzSettings.ReplayVariable}={replaySeed}\n  request: {request}\n  response: {response?.ToString().Replace("\n", "\n    ", StringComparison.Ordinal)}");
        }
    }

    /// <summary>One line: the seed to replay, requests per area, statuses seen, violations.</summary>
    public string Summary()
    {
        var areas = string.Join(", ", _requests.Select(pair => $"{pair.Key} {pair.Value} in {_times[pair.Key].TotalSeconds:0.0} s"));
        var statuses = string.Join(", ", _statuses.Select(pair => $"{pair.Key}x{pair.Value}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"hostile input: seed {settings.Seed} ({FuzzSettings.SeedVariable}), {_requests.Values.Sum()} requests ({areas}; plus {_sessions} upload sessions opened), statuses {statuses}, {Violations.Count} violations, {_elapsed.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task<string> OpenSessionAsync()
    {
        var start = Encoding.ASCII.GetBytes(
            $"POST /v2/{KnownContent.Repository}/blobs/uploads/ HTTP/1.1\r\nHost: registry.test\r\nAuthorization: {_authorization}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var response = await RawHttp.SendAsync(registry.Gateway, start, endOfInput: false, isHead: false, settings.RequestTimeout)
            ?? throw new TimeoutException("opening an upload session timed out");
        var location = response.Status == 202 ? response.Header("Location") : null;
        return location?[(location.LastIndexOf('/') + 1)..] ?? throw new InvalidOperationException($"opening an upload session answered {response}");
    }
}

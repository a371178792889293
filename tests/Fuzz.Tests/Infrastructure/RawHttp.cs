using System.Globalization;
using System.Net;
using System.Text;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Fuzz.Tests.Infrastructure;

/// <summary>An HTTP/1.1 answer as it came off the socket.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() =>
        $"{Status}\n{string.Join("\n", Headers.Select(header => $"{header.Key}: {header.Value}"))}\n\n{Shorten(BodyText, 2000)}";

    internal static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), $"... ({text.Length} chars)");
}

/// <summary>
/// One request per connection (<see cref="RawSocket"/>), so a request can carry what HttpClient
/// refuses to send: a Content-Length that is not the body's, odd bytes in the target and headers.
/// The request asks for <c>Connection: close</c>, so the answer is everything read until the
/// server closes, parsed here.
/// </summary>
public static class RawHttp
{
    /// <summary>The connection closed without a byte of answer.</summary>
    public static readonly RawResponse Closed = new(0, [], []);

    /// <summary>
    /// Sends <paramref name="request"/> and reads the answer. With <paramref name="endOfInput"/> the
    /// connection's sending side is shut after the request: a body shorter than its Content-Length
    /// then ends instead of leaving the server waiting for the rest. Null when nothing came back
    /// within <paramref name="timeout"/>; <see cref="Closed"/> when the connection closed with no answer.
    /// </summary>
    public static async Task<RawResponse?> SendAsync(IPEndPoint endpoint, byte[] request, bool endOfInput, bool isHead, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return Parse(await RawSocket.ExchangeAsync(endpoint, request, endOfInput, deadline.Token), isHead);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return null;
        }
    }

    private static RawResponse Parse(byte[] bytes, bool isHead)
    {
        if (bytes.Length == 0)
        {
            return Closed;
        }

        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            throw new InvalidDataException($"no complete response head in {bytes.Length} bytes: {RawResponse.Shorten(Encoding.Latin1.GetString(bytes), 500)}");
        }

        var lines = Encoding.Latin1.GetString(bytes, 0, end).Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        if (statusParts.Length < 2 || !statusParts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException($"not an HTTP/1.x status line: {lines[0]}");
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"malformed response header line: {line}");
            }

            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }

        var body = bytes.AsSpan(end + 4);
        var response = new RawResponse(status, headers, []);
        if (isHead || status is 204 or 304 || (status >= 100 && status < 200))
        {
            return response;
        }

        if (response.Header("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return response with { Body = Dechunk(body) };
        }

        if (response.Header("Content-Length") is { } length)
        {
            var declared = long.Parse(length, NumberStyles.None, CultureInfo.InvariantCulture);
            if (declared != body.Length)
            {
                throw new InvalidDataException($"response declared Content-Length {declared} and carried {body.Length} bytes");
            }
        }

        return response with { Body = body.ToArray() };
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream();
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                throw new InvalidDataException("chunked response body ended inside a chunk header");
            }

            var sizeText = Encoding.ASCII.GetString(body[..lineEnd]).Split(';')[0].Trim();
            var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            body = body[(lineEnd + 2)..];
            if (size == 0)
            {
                return output.ToArray();
            }

            if (body.Length < size + 2)
            {
                throw new InvalidDataException("chunked response body ended inside a chunk");
            }

            output.Write(body[..size]);
            body = body[(size + 2)..];
        }
    }
}

using System.Globalization;
using System.Text;

namespace RegistryCloud.Fuzz.Tests.Requests;

/// <summary>Who a request says it is.</summary>
public enum Credentials
{
    /// <summary>The fuzzing user's valid Basic credentials.</summary>
    User,

    /// <summary>No Authorization header.</summary>
    None,

    /// <summary>The Authorization header is among <see cref="FuzzRequest.Headers"/>, as generated.</summary>
    AsGenerated,
}

/// <summary>
/// One generated request, in wire form: <see cref="Target"/> is the request-target exactly as sent
/// (already percent-encoded, or not, as the generator chose), header values go out as Latin-1
/// bytes. <see cref="ContentLength"/> null sends the body's true length; otherwise that text is sent
/// as the Content-Length, whatever the body holds. <see cref="Upload"/> in the target stands for a
/// fresh upload session's id, opened just before the request.
/// </summary>
public sealed record FuzzRequest(
    string Area,
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    Credentials Credentials = Credentials.User,
    string? ContentLength = null)
{
    public const string Upload = "{upload}";

    public bool NeedsUpload => Target.Contains(Upload, StringComparison.Ordinal);

    /// <summary>
    /// A Content-Length that is not the body's: the connection's sending side ends after the body,
    /// so a server that reads the text as more than was sent sees the end instead of waiting for the rest.
    /// </summary>
    public bool Truncated => ContentLength is not null && ContentLength != Body.Length.ToString(CultureInfo.InvariantCulture);

    public bool IsHead => Method == "HEAD";

    /// <summary>A Transfer-Encoding ending in chunked: the body goes out in chunks, without a Content-Length of its own.</summary>
    private bool Chunked => Headers.Any(header =>
        header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && header.Value.TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase));

    /// <summary>The bytes on the wire, the session id in place of <see cref="Upload"/>.</summary>
    public byte[] ToWire(string authorization, string? uploadId)
    {
        var head = new StringBuilder();
        head.Append(Method).Append(' ').Append(uploadId is null ? Target : Target.Replace(Upload, uploadId, StringComparison.Ordinal)).Append(" HTTP/1.1\r\n");
        head.Append("Host: registry.test\r\n");
        if (Credentials == Credentials.User)
        {
            head.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        foreach (var (name, value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (ContentLength is not null)
        {
            head.Append("Content-Length: ").Append(ContentLength).Append("\r\n");
        }
        else if (Chunked)
        {
            head.Append("Connection: close\r\n\r\n");
            var chunk = Body.Length == 0 ? "" : Body.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n";
            return [.. Encoding.Latin1.GetBytes(head.ToString() + chunk), .. Body, .. (Body.Length == 0 ? "0\r\n\r\n"u8 : "\r\n0\r\n\r\n"u8)];
        }
        else if (Body.Length > 0 || Method is "POST" or "PUT" or "PATCH")
        {
            head.Append("Content-Length: ").Append(Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. Body];
    }

    /// <summary>What a person needs to replay the request by hand, long values shortened.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append('[').Append(Area).Append("] ").Append(Method).Append(' ').Append(Shorten(Target)).Append('\n');
        text.Append("  credentials: ").Append(Credentials).Append('\n');
        foreach (var (name, value) in Headers)
        {
            text.Append("  ").Append(name).Append(": ").Append(Shorten(value)).Append('\n');
        }

        if (ContentLength is not null)
        {
            text.Append("  Content-Length: ").Append(ContentLength).Append('\n');
        }

        text.Append("  body: ").Append(Body.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes ")
            .Append(Shorten(Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300))));
        return text.ToString();
    }

    private static string Shorten(string value) =>
        value.Length <= 300 ? value : string.Concat(value.AsSpan(0, 300), $"... ({value.Length} chars)");
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RegistryCloud.Oci;

namespace RegistryCloud.Proxy;

/// <summary>A manifest as an upstream served it: its bytes, media type and the digest the upstream named.</summary>
public sealed record UpstreamManifest(byte[] Content, string MediaType, Digest? Digest);

/// <summary>
/// A page of an upstream repository's tags: the names after <c>last</c> in lexical order, and
/// whether the upstream said more follow (a <c>Link</c> header).
/// </summary>
public sealed record UpstreamTagPage(IReadOnlyList<string> Tags, bool More);

/// <summary>A blob body being received from upstream; dispose it to release the connection.</summary>
public sealed class UpstreamBlob(HttpResponseMessage response, Stream content) : IAsyncDisposable
{
    public Stream Content => content;

    /// <summary>The upstream's Content-Length, when it sent one.</summary>
    public long? Length => response.Content.Headers.ContentLength;

    public async ValueTask DisposeAsync()
    {
        await content.DisposeAsync();
        response.Dispose();
    }
}

/// <summary>
/// Talks to upstream registries for the pull-through cache: GET and HEAD of manifests and blobs,
/// with the auth flow an upstream asks for. Every call has a deadline for the upstream's answer
/// (headers), answers are size-limited, a 404 is a null result, and every other failure is an
/// <see cref="UpstreamException"/> saying what the client should be told.
/// </summary>
public sealed partial class UpstreamClient : IDisposable
{
    /// <summary>The manifest types a cache asks for: every one RegistryCloud stores, so what it caches serves every client.</summary>
    public static readonly string[] ManifestAccept =
    [
        MediaTypes.OciImageIndex, MediaTypes.OciImageManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest,
    ];

    // Docker Hub's largest repositories list tens of thousands of tags on one page when asked without n.
    private const int MaxTagListSize = 16 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly UpstreamAuth _auth;
    private readonly ILogger<UpstreamClient> _logger;

    public UpstreamClient(HttpMessageHandler handler, TimeProvider time, ILogger<UpstreamClient> logger, UpstreamClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RegistryCloud-proxy", "1.0"));
        _auth = new UpstreamAuth(time);
        _logger = logger;
        Options = options;
    }

    public UpstreamClientOptions Options { get; }

    /// <summary>
    /// The handler the services use: bounded connect time and response headers, redirects
    /// followed (object-storage and CDN downloads; .NET drops the Authorization header on the way).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(UpstreamClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            MaxResponseHeadersLength = options.MaxResponseHeadersKiB,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
    }

    /// <summary>The manifest, or null when the upstream has no such repository or reference.</summary>
    public async Task<UpstreamManifest?> GetManifestAsync(ProxyTarget target, string reference, int maxSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var deadline = Deadline(cancellationToken);
        using var response = await SendAsync(target, HttpMethod.Get, $"manifests/{reference}", ManifestAccept, deadline.Token, cancellationToken);
        if (response is null)
        {
            return null;
        }

        var content = await Guard(target, () => ReadLimitedAsync(response, maxSize, "manifest", target.Upstream, deadline.Token), cancellationToken);
        return new UpstreamManifest(content, MediaTypeOf(response), DigestOf(response));
    }

    /// <summary>The digest a tag points at upstream (a HEAD: nothing downloaded), or null when unknown there.</summary>
    public async Task<(Digest? Digest, bool Found)> HeadManifestAsync(ProxyTarget target, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var deadline = Deadline(cancellationToken);
        using var response = await SendAsync(target, HttpMethod.Head, $"manifests/{reference}", ManifestAccept, deadline.Token, cancellationToken);
        return response is null ? (null, false) : (DigestOf(response), true);
    }

    /// <summary>The blob's size upstream, or null when the upstream repository does not hold it.</summary>
    public async Task<long?> HeadBlobAsync(ProxyTarget target, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var deadline = Deadline(cancellationToken);
        using var response = await SendAsync(target, HttpMethod.Head, $"blobs/{digest}", [], deadline.Token, cancellationToken);
        return response is null ? null : response.Content.Headers.ContentLength ?? -1;
    }

    /// <summary>
    /// The blob's body, headers received and bytes not yet read, or null when the upstream
    /// repository does not hold it. The deadline covers the answer; the caller bounds the reads.
    /// </summary>
    public async Task<UpstreamBlob?> GetBlobAsync(ProxyTarget target, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var deadline = Deadline(cancellationToken);
        var response = await SendAsync(target, HttpMethod.Get, $"blobs/{digest}", [], deadline.Token, cancellationToken);
        if (response is null)
        {
            return null;
        }

        try
        {
            var stream = await Guard(target, () => response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken);
            return new UpstreamBlob(response, stream);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The upstream repository's tags after <paramref name="last"/>, at most <paramref name="count"/>
    /// when given (the upstream may answer fewer, with a <c>Link</c>), or null when the upstream has
    /// no such repository. The names are sorted and cut at <paramref name="last"/> here too: what
    /// the cache answers must hold to the spec whatever the upstream sends.
    /// </summary>
    public async Task<UpstreamTagPage?> ListTagsAsync(ProxyTarget target, int? count, string? last, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var query = new List<string>(2);
        if (count is { } n)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"n={n}"));
        }

        if (last is not null)
        {
            query.Add("last=" + Uri.EscapeDataString(last));
        }

        using var deadline = Deadline(cancellationToken);
        var path = query.Count == 0 ? "tags/list" : "tags/list?" + string.Join('&', query);
        using var response = await SendAsync(target, HttpMethod.Get, path, [MediaTypes.Json], deadline.Token, cancellationToken);
        if (response is null)
        {
            return null;
        }

        var content = await Guard(target, () => ReadLimitedAsync(response, MaxTagListSize, "tag list", target.Upstream, deadline.Token), cancellationToken);
        var tags = ParseTags(content, target.Upstream);
        tags.Sort(StringComparer.Ordinal);
        if (last is not null)
        {
            tags.RemoveAll(tag => string.CompareOrdinal(tag, last) <= 0);
        }

        return new UpstreamTagPage(tags, response.Headers.Contains("Link"));
    }

    public void Dispose() => _http.Dispose();

    private static List<string> ParseTags(byte[] content, Upstream upstream)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var tags = new List<string>();
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var tag in list.EnumerateArray())
                {
                    if (tag.GetString() is { Length: > 0 } name)
                    {
                        tags.Add(name);
                    }
                }
            }

            return tags;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{upstream.Name} answered a tag list that is not valid JSON: {e.Message}", inner: e);
        }
    }

    /// <summary>Reads a whole body, refusing one over <paramref name="maxSize"/> bytes.</summary>
    internal static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int maxSize, string what, Upstream upstream, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxSize)
        {
            throw new UpstreamException(UpstreamFailure.Invalid, $"{upstream.Name}: the {what} is over the {maxSize}-byte limit");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxSize)
            {
                throw new UpstreamException(UpstreamFailure.Invalid, $"{upstream.Name}: the {what} is over the {maxSize}-byte limit");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Sends with what an earlier challenge taught, answers a 401's challenge once, and maps the
    /// upstream's answer: success returned, 404 null, anything else an <see cref="UpstreamException"/>.
    /// </summary>
    private async Task<HttpResponseMessage?> SendAsync(
        ProxyTarget target, HttpMethod method, string path, string[] accept, CancellationToken deadline, CancellationToken cancellationToken)
    {
        var upstream = target.Upstream;
        var scope = $"repository:{target.Repository}:pull";
        var uri = new Uri(upstream.BaseUri, $"v2/{target.Repository}/{path}");
        var authorization = _auth.Cached(upstream, scope);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            foreach (var type in accept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            request.Headers.Authorization = authorization;
            var response = await Guard(target, () => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0
                && await Guard(target, () => _auth.AnswerAsync(_http, upstream, scope, response, Options.RequestTimeout, cancellationToken), cancellationToken) is { } answer)
            {
                response.Dispose();
                authorization = answer;
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                var status = (int)response.StatusCode;
                LogUpstreamRefused(_logger, upstream.Name, method.Method, uri.AbsolutePath, status);
                throw status switch
                {
                    429 => new UpstreamException(UpstreamFailure.TooManyRequests, $"{upstream.Name} is rate-limiting pulls (429)", RetryAfter(response)),
                    401 or 403 => new UpstreamException(
                        UpstreamFailure.Denied, $"{upstream.Name} denied access to '{target.Repository}' ({status}): it may not exist there, or the configured credentials lack access"),
                    >= 500 => new UpstreamException(UpstreamFailure.Unavailable, $"{upstream.Name} answered {status}"),
                    _ => new UpstreamException(UpstreamFailure.Unavailable, $"{upstream.Name} answered {status} to {method.Method} {path}"),
                };
            }
        }
    }

    /// <summary>Turns transport failures and the deadline into <see cref="UpstreamFailure.Unavailable"/>; the caller's cancellation passes.</summary>
    private async Task<T> Guard<T>(ProxyTarget target, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUpstreamUnreachable(_logger, target.Upstream.Name, "no answer within the deadline");
            throw new UpstreamException(UpstreamFailure.Unavailable, $"{target.Upstream.Name} did not answer within {Options.RequestTimeout.TotalSeconds:0}s", inner: e);
        }
        catch (HttpRequestException e)
        {
            LogUpstreamUnreachable(_logger, target.Upstream.Name, e.Message);
            throw new UpstreamException(UpstreamFailure.Unavailable, $"{target.Upstream.Name} is unreachable: {e.Message}", inner: e);
        }
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.RequestTimeout);
        return deadline;
    }

    private static Digest? DigestOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest) ? digest : null;

    private static string MediaTypeOf(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType ?? MediaTypes.OctetStream;

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} answered {Status} to {Method} {Path}")]
    private static partial void LogUpstreamRefused(ILogger logger, string upstream, string method, string path, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream} unreachable: {Reason}")]
    private static partial void LogUpstreamUnreachable(ILogger logger, string upstream, string reason);
}

/// <summary>Limits on upstream calls.</summary>
public sealed record UpstreamClientOptions
{
    /// <summary>How long an upstream has to answer a call (its headers; a manifest's whole body).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a TCP and TLS connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a blob body may go without a byte before the transfer is abandoned.</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The largest response headers accepted, in KiB.</summary>
    public int MaxResponseHeadersKiB { get; init; } = 64;
}

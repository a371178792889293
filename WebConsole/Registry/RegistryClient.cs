using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RegistryCloud.Oci;

namespace RegistryCloud.WebConsole.Registry;

/// <summary>
/// The registry API as the signed-in user sees it: every call goes through the gateway with the
/// user's own credentials, so every access decision (authentication, the access-control rules,
/// the filtered catalog) is the gateway's. With <c>auth.htpasswd</c> the gateway takes Basic
/// credentials; with <c>auth.token</c> it answers 401 with a Bearer challenge, and the client does
/// what Docker clients do: asks the challenge's realm for a token of that scope, then retries.
/// </summary>
public sealed class RegistryClient(HttpClient http, RegistryCredentials? credentials)
{
    /// <summary>Configs and manifests larger than this are not read: a page has no use for them.</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    public static readonly string[] ManifestMediaTypes =
    [
        MediaTypes.OciImageIndex, MediaTypes.OciImageManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest,
    ];

    /// <summary>
    /// The target of <see cref="MayDeleteAsync"/>'s probe: the registry keeps content only under the
    /// digest of its bytes, and no bytes are known to hash to zeros, so a delete of it never finds anything.
    /// </summary>
    public const string ProbeDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public RegistryCredentials? Credentials => credentials;

    /// <summary>Whether the gateway takes these credentials (or none) at <c>GET /v2/</c>.</summary>
    public async Task<HttpStatusCode> CheckAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "v2/", null, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Every repository the user may see, in the catalog's order, read page by page.</summary>
    public async Task<IReadOnlyList<string>> GetCatalogAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var page in PagesAsync("v2/_catalog?n=1000", "repositories", cancellationToken))
        {
            names.AddRange(page);
        }

        return names;
    }

    /// <summary>Every tag of a repository, in the API's lexical order.</summary>
    public async Task<IReadOnlyList<string>> GetTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        await foreach (var page in PagesAsync($"v2/{repository}/tags/list?n=1000", "tags", cancellationToken))
        {
            tags.AddRange(page);
        }

        return tags;
    }

    /// <summary>A manifest or index by tag or digest, with its media type and digest.</summary>
    public async Task<ManifestBytes> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/{Uri.EscapeDataString(reference)}", ManifestMediaTypes, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var bytes = await ReadLimitedAsync(response, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        return new ManifestBytes(mediaType, digest, bytes);
    }

    /// <summary>A small JSON blob (an image config) by digest.</summary>
    public async Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadLimitedAsync(response, cancellationToken);
    }

    /// <summary>The referrers API's index for a digest (OCI distribution spec, "Listing Referrers").</summary>
    public async Task<byte[]> GetReferrersAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/referrers/{digest}", [MediaTypes.OciImageIndex], cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await ReadLimitedAsync(response, cancellationToken);
    }

    /// <summary>The API's DELETE of a tag or a manifest; a refusal throws with the gateway's message.</summary>
    public async Task DeleteManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"v2/{repository}/manifests/{Uri.EscapeDataString(reference)}", null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>
    /// Whether the registry would let this user delete in <paramref name="repository"/>, asked the
    /// only way that applies every rule a real delete meets (authentication, the access-control
    /// rules or the token's scopes, read-only mode, <c>storage.delete.enabled</c>, pull-through
    /// caches): the API's own <c>DELETE</c> of <see cref="ProbeDigest"/>, a manifest no registry can
    /// hold. 401, 403 and 405 are a no; 404 (nothing to delete) a yes; anything else (the registry
    /// unsure, say Redis down) shows the controls and leaves the answer to the delete itself.
    /// Immutable tags are not covered: a delete of one is still refused when tried.
    /// </summary>
    public async Task<bool> MayDeleteAsync(string repository, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"v2/{repository}/manifests/{ProbeDigest}", null, cancellationToken);
        return response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>
    /// When each of <paramref name="wanted"/> was pushed, from RegistryCloud's extension of the tags
    /// list (<c>pushed=true</c>): one page per run of tags that sit next to each other in
    /// <paramref name="all"/> (the repository's tags in the API's order), so a page of 50 rows costs
    /// one request, or a few under a filter. A registry without the extension, or a refused page,
    /// leaves those times out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetPushTimesAsync(
        string repository, IReadOnlyList<string> all, IReadOnlyList<string> wanted, CancellationToken cancellationToken)
    {
        var times = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            PushTimeRuns(all, wanted),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (run, token) =>
            {
                var query = $"v2/{repository}/tags/list?pushed=true&n={run.Count}" + (run.After is { } after ? $"&last={Uri.EscapeDataString(after)}" : "");
                using var response = await SendAsync(HttpMethod.Get, query, null, token);
                if (!response.IsSuccessStatusCode)
                {
                    return;
                }

                using var json = JsonDocument.Parse(await ReadLimitedAsync(response, token));
                if (json.RootElement.TryGetProperty("pushed", out var pushed) && pushed.ValueKind == JsonValueKind.Object)
                {
                    foreach (var tag in pushed.EnumerateObject())
                    {
                        if (tag.Value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(tag.Value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
                        {
                            times[tag.Name] = at;
                        }
                    }
                }
            });
        return times;
    }

    /// <summary>
    /// The pages that cover <paramref name="wanted"/> (in the order of <paramref name="all"/>): each
    /// run of neighbours in <paramref name="all"/> is the page of its length after the tag before it.
    /// </summary>
    internal static IReadOnlyList<(string? After, int Count)> PushTimeRuns(IReadOnlyList<string> all, IReadOnlyList<string> wanted)
    {
        var positions = new Dictionary<string, int>(all.Count, StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
        {
            positions.TryAdd(all[i], i);
        }

        var indexes = wanted.Where(positions.ContainsKey).Select(tag => positions[tag]).Distinct().Order().ToList();
        var runs = new List<(string? After, int Count)>();
        for (var i = 0; i < indexes.Count;)
        {
            var start = i;
            while (i + 1 < indexes.Count && indexes[i + 1] == indexes[i] + 1)
            {
                i++;
            }

            runs.Add((indexes[start] == 0 ? null : all[indexes[start] - 1], i - start + 1));
            i++;
        }

        return runs;
    }

    private async IAsyncEnumerable<IReadOnlyList<string>> PagesAsync(string first, string property, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = first;
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            using var json = JsonDocument.Parse(await ReadLimitedAsync(response, cancellationToken));
            var page = json.RootElement.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array
                ? items.EnumerateArray().Select(item => item.GetString() ?? "").ToList()
                : [];
            yield return page;
            next = page.Count == 0 ? null : NextLink(response);
        }
    }

    /// <summary>The relative target of <c>Link: &lt;/v2/...&gt;; rel="next"</c>, without its leading slash.</summary>
    internal static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links)
        {
            var start = link.IndexOf('<', StringComparison.Ordinal);
            var end = link.IndexOf('>', StringComparison.Ordinal);
            if (start >= 0 && end > start && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                var target = link[(start + 1)..end];
                return target.StartsWith("/v2/", StringComparison.Ordinal) ? target[1..] : null;
            }
        }

        return null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string[]? accept, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(Request(method, path, accept, null), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || BearerChallenge.Parse(response.Headers.WwwAuthenticate) is not { } challenge)
        {
            return response;
        }

        response.Dispose();
        var token = await GetTokenAsync(challenge, cancellationToken);
        return await http.SendAsync(Request(method, path, accept, token), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string[]? accept, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var type in accept ?? [])
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (credentials is not null)
        {
            request.Headers.Authorization = Basic(credentials);
        }

        return request;
    }

    /// <summary>A token for the challenge's scope from its realm, as the signed-in user (or anonymous); tokens are reused per scope.</summary>
    private async Task<string?> GetTokenAsync(BearerChallenge challenge, CancellationToken cancellationToken)
    {
        var key = challenge.Scope ?? "";
        if (_tokens.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var query = $"?service={Uri.EscapeDataString(challenge.Service ?? "")}" + (challenge.Scope is { } scope ? $"&scope={Uri.EscapeDataString(scope)}" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http.BaseAddress!, challenge.Realm + query));
        if (credentials is not null)
        {
            request.Headers.Authorization = Basic(credentials);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Wrong credentials: the retry without a token gets the gateway's own 401.
            return null;
        }

        using var json = JsonDocument.Parse(await ReadLimitedAsync(response, cancellationToken));
        var token = json.RootElement.TryGetProperty("token", out var value) ? value.GetString() : null;
        if (token is not null)
        {
            _tokens[key] = token;
        }

        return token;
    }

    private static AuthenticationHeaderValue Basic(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}")));

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var json = JsonDocument.Parse(await ReadLimitedAsync(response, cancellationToken));
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) ? c.GetString() : null;
                var text = first.TryGetProperty("message", out var m) ? m.GetString() : null;
                var detail = first.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                message = string.Join(": ", new[] { code, text, detail }.Where(part => !string.IsNullOrEmpty(part)));
            }
        }
        catch (JsonException)
        {
            // Not an OCI error body: the status line says enough.
        }

        throw new RegistryRefusedException(response.StatusCode, message);
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new RegistryRefusedException(HttpStatusCode.InsufficientStorage, $"the document is larger than {MaxDocumentBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                throw new RegistryRefusedException(HttpStatusCode.InsufficientStorage, $"the document is larger than {MaxDocumentBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>A manifest's bytes as the registry served them.</summary>
public sealed record ManifestBytes(string MediaType, string Digest, byte[] Content);

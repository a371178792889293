using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RegistryCloud.Bench.Content;
using RegistryCloud.Bench.Measurement;

namespace RegistryCloud.Bench.Http;

/// <summary>
/// The registry operations the workloads are built from, as the OCI distribution spec writes
/// them (spec.md, "Pushing blobs", "Pushing manifests", "Content discovery").
/// </summary>
internal sealed class RegistryClient(HttpClient http)
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    private static readonly string[] ManifestAccept =
    [
        OciManifest,
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    public HttpClient Http => http;

    /// <summary>POST /v2/&lt;name&gt;/blobs/uploads/ and answer the session's location.</summary>
    public async Task<Uri> StartUploadAsync(string repository, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/") { Content = new ByteArrayContent([]) };
        using var response = await http.SendAsync(request, cancellationToken);
        await RegistryResponseException.ThrowUnlessAsync(response, HttpStatusCode.Accepted, "start upload", cancellationToken);
        return LocationOf(response);
    }

    /// <summary>PUT &lt;location&gt;?digest= with the whole blob as its body.</summary>
    public async Task PutBlobAsync(Uri location, BlobDigest digest, HttpContent body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = body };
        using var response = await http.SendAsync(request, cancellationToken);
        await RegistryResponseException.ThrowUnlessAsync(response, HttpStatusCode.Created, "put blob", cancellationToken);
    }

    /// <summary>PATCH one chunk; <paramref name="contentRange"/> null sends it as docker does, without one.</summary>
    public async Task<Uri> PatchAsync(Uri location, HttpContent chunk, string? contentRange, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = chunk };
        if (contentRange is not null)
        {
            // Distribution and the OCI spec take "<start>-<end>", not the "bytes" form .NET would write.
            request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        await RegistryResponseException.ThrowUnlessAsync(response, HttpStatusCode.Accepted, "patch chunk", cancellationToken);
        return LocationOf(response);
    }

    /// <summary>PUT &lt;location&gt;?digest= with no body, closing a chunked upload.</summary>
    public Task CompleteUploadAsync(Uri location, BlobDigest digest, CancellationToken cancellationToken) =>
        PutBlobAsync(location, digest, new ByteArrayContent([]), cancellationToken);

    /// <summary>Monolithic push in two requests: POST, then PUT with the body.</summary>
    public async Task PushBlobAsync(string repository, BlobSource source, BlobDigest digest, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(repository, cancellationToken);
        await PutBlobAsync(location, digest, new GeneratedContent(source), cancellationToken);
    }

    public async Task<bool> BlobExistsAsync(string repository, BlobDigest digest, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw new RegistryResponseException("head blob", response.StatusCode, ""),
        };
    }

    /// <summary>GET a blob and hash it as it streams.</summary>
    public async Task<VerifyResult> PullBlobAsync(string repository, BlobDigest digest, long? size, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/v2/{repository}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await RegistryResponseException.ThrowUnlessAsync(response, HttpStatusCode.OK, "get blob", cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await StreamVerifier.VerifyAsync(body, digest, size, cancellationToken);
    }

    public async Task PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/{reference}") { Content = content };
        using var response = await http.SendAsync(request, cancellationToken);
        await RegistryResponseException.ThrowUnlessAsync(response, HttpStatusCode.Created, "put manifest", cancellationToken);
    }

    /// <summary>GET a manifest and answer its bytes.</summary>
    public async Task<byte[]> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        foreach (var mediaType in ManifestAccept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        await RegistryResponseException.ThrowUnlessAsync(response, HttpStatusCode.OK, "get manifest", cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>Lists every tag, <paramref name="pageSize"/> at a time, following <c>Link: rel="next"</c>.</summary>
    public Task<(int Tags, int Pages)> ListTagsAsync(string repository, int pageSize, CancellationToken cancellationToken) =>
        ListAsync($"/v2/{repository}/tags/list?n={pageSize}", "tags", cancellationToken);

    /// <summary>Lists every repository, <paramref name="pageSize"/> at a time, following <c>Link: rel="next"</c>.</summary>
    public Task<(int Repositories, int Pages)> ListCatalogAsync(int pageSize, CancellationToken cancellationToken) =>
        ListAsync($"/v2/_catalog?n={pageSize}", "repositories", cancellationToken);

    /// <summary>Reads the pages from <paramref name="first"/> on; the names in the <paramref name="property"/> arrays, and the pages.</summary>
    public async Task<(int Names, int Pages)> ListAsync(string first, string property, CancellationToken cancellationToken, int maxPages = int.MaxValue)
    {
        string? next = first;
        var names = 0;
        var pages = 0;
        while (next is not null && pages < maxPages)
        {
            using var response = await http.GetAsync(next, cancellationToken);
            await RegistryResponseException.ThrowUnlessAsync(response, HttpStatusCode.OK, "list " + property, cancellationToken);
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                if (json.RootElement.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    names += list.GetArrayLength();
                }
            }

            pages++;
            next = NextPage(response);
        }

        return (names, pages);
    }

    /// <summary>The target of <c>Link: &lt;url&gt;; rel="next"</c>, or null on the last page.</summary>
    internal static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            var open = value.IndexOf('<', StringComparison.Ordinal);
            var close = value.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && value.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
            {
                return value[(open + 1)..close];
            }
        }

        return null;
    }

    private Uri LocationOf(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException("the registry answered without a Location header");
        return location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
    }

    internal static Uri WithDigest(Uri location, BlobDigest digest)
    {
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        return new Uri(location.AbsoluteUri + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RegistryCloud.Oci;

namespace RegistryCloud.Tests.Shared;

/// <summary>
/// The requests of the OCI distribution spec as a client sends them, for the in-process tests and
/// the end-to-end tests alike; every failure message carries the response.
/// </summary>
public static class RegistryHttp
{
    /// <summary>Everything a docker or OCI client accepts when pulling an image by tag.</summary>
    public static readonly string[] ManifestMediaTypes =
    [
        MediaTypes.DockerManifest,
        MediaTypes.DockerManifestList,
        MediaTypes.OciImageManifest,
        MediaTypes.OciImageIndex,
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static ByteArrayContent Octets(byte[] content) => Typed(content, MediaTypes.OctetStream);

    public static ByteArrayContent Typed(byte[] content, string mediaType)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return body;
    }

    /// <summary>A location with <c>digest=</c> added to its query.</summary>
    public static string WithDigest(string location, string digest) =>
        location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest);

    /// <summary>Monolithic push: <c>POST /v2/&lt;name&gt;/blobs/uploads/?digest=</c> with the whole blob.</summary>
    public static Task<HttpResponseMessage> PostBlobAsync(this HttpClient client, string repository, byte[] content, string? digest = null) =>
        client.PostAsync(WithDigest($"/v2/{repository}/blobs/uploads/", digest ?? TestContent.DigestOf(content)), Octets(content), Token);

    /// <summary>Pushes a blob and asserts it was created; returns its digest.</summary>
    public static async Task<string> PushBlobAsync(this HttpClient client, string repository, byte[] content)
    {
        using var response = await client.PostBlobAsync(repository, content);
        await OciAssert.StatusAsync(response, HttpStatusCode.Created);
        return TestContent.DigestOf(content);
    }

    /// <summary>Opens an upload session and returns its <c>Location</c>.</summary>
    public static async Task<string> StartUploadAsync(this HttpClient client, string repository)
    {
        using var response = await client.PostAsync($"/v2/{repository}/blobs/uploads/", content: null, Token);
        await OciAssert.StatusAsync(response, HttpStatusCode.Accepted);
        return response.Headers.Location?.OriginalString ?? throw new InvalidOperationException("upload start answered no Location");
    }

    /// <summary>Sends one chunk with its <c>Content-Range</c>.</summary>
    public static Task<HttpResponseMessage> PatchChunkAsync(this HttpClient client, string location, byte[] chunk, long start)
    {
        var body = Octets(chunk);
        body.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
        return client.PatchAsync(location, body, Token);
    }

    /// <summary>
    /// Chunked push: a session, one PATCH per chunk (of the given sizes, then one of the rest), each
    /// sent to the <c>Location</c> the previous answer gave, then the closing PUT; asserts every
    /// step and returns the digest.
    /// </summary>
    public static async Task<string> PushInChunksAsync(this HttpClient client, string repository, byte[] content, params int[] chunkSizes)
    {
        var location = await client.StartUploadAsync(repository);
        var start = 0;
        foreach (var size in chunkSizes.Append(content.Length - chunkSizes.Sum()))
        {
            using var patched = await client.PatchChunkAsync(location, content[start..(start + size)], start);
            await OciAssert.StatusAsync(patched, HttpStatusCode.Accepted);
            location = patched.Headers.Location?.OriginalString ?? throw new InvalidOperationException("PATCH answered no Location");
            start += size;
        }

        var digest = TestContent.DigestOf(content);
        using var done = await client.PutAsync(WithDigest(location, digest), content: null, Token);
        await OciAssert.StatusAsync(done, HttpStatusCode.Created);
        return digest;
    }

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, Action<HttpRequestMessage> configure) =>
        client.SendAsync(HttpMethod.Get, path, configure);

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, Action<HttpRequestMessage>? configure = null) =>
        client.SendAsync(method, path, content: null, configure);

    public static async Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        return await client.SendAsync(request, Token);
    }

    /// <summary>Asserts the status, showing the whole response when it differs; returns the response.</summary>
    public static async Task<HttpResponseMessage> ExpectAsync(this Task<HttpResponseMessage> sending, HttpStatusCode status)
    {
        var response = await sending;
        if (response.StatusCode != status)
        {
            var body = await response.Content.ReadAsByteArrayAsync(Token);
            Assert.Fail($"expected {(int)status}.{Environment.NewLine}{Describe(response, body)}");
        }

        return response;
    }

    /// <summary>GETs <paramref name="path"/> until it answers <paramref name="expected"/>; returns that response's body.</summary>
    public static async Task<string> WaitForStatusAsync(this HttpClient client, string path, HttpStatusCode expected)
    {
        var (_, body) = await Poll.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync(path, Token);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Token));
            },
            last => last.StatusCode == expected,
            last => $"{path} answered {(int)last.StatusCode} {last.Body}, expected {(int)expected}");
        return body;
    }

    /// <summary>The single value of a response header, from the response or its content headers.</summary>
    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    /// <summary>GETs a manifest as a pulling client does and checks its digest against the bytes.</summary>
    public static async Task<RegistryManifest> GetManifestAsync(
        this HttpClient http, string repository, string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var mediaType in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var description = Describe(response, bytes);
        Assert.True(response.IsSuccessStatusCode, $"GET manifest {repository}:{reference} failed.{Environment.NewLine}{description}");
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
        Assert.True(digest is not null, $"The manifest response has no Docker-Content-Digest.{Environment.NewLine}{description}");
        Assert.Equal(TestContent.DigestOf(bytes), digest);
        var json = JsonNode.Parse(bytes) as JsonObject;
        Assert.True(json is not null, $"The manifest is not a JSON object.{Environment.NewLine}{description}");
        return new RegistryManifest(digest, response.Content.Headers.ContentType?.MediaType, bytes, json);
    }

    /// <summary>GETs a path and parses its body as JSON, asserting the status code first.</summary>
    public static async Task<JsonNode> GetJsonAsync(
        this HttpClient http, string path, HttpStatusCode expectedStatus, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var description = Describe(response, bytes);
        Assert.True(response.StatusCode == expectedStatus, $"GET {path}: expected {(int)expectedStatus}.{Environment.NewLine}{description}");
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(bytes);
        }
        catch (JsonException e)
        {
            Assert.Fail($"GET {path}: the body is not JSON ({e.Message}).{Environment.NewLine}{description}");
        }

        Assert.True(json is not null, $"GET {path}: the body is JSON null.{Environment.NewLine}{description}");
        return json;
    }

    public static async Task<byte[]> GetBlobAsync(
        this HttpClient http, string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v2/{repository}/blobs/{digest}", cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode,
            $"GET blob {repository}@{digest} failed.{Environment.NewLine}{Describe(response, bytes)}");
        return bytes;
    }

    /// <summary>Status line, headers and (the start of) the body, for assertion messages.</summary>
    public static string Describe(HttpResponseMessage response, byte[] body)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}");
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 2048));
        return $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} -> {(int)response.StatusCode} {response.ReasonPhrase}" +
            $"{Environment.NewLine}{string.Join(Environment.NewLine, headers)}{Environment.NewLine}{Environment.NewLine}{text}";
    }
}

using System.Net;
using System.Net.Http.Headers;

namespace RegistryCloud.Tests.Shared;

/// <summary>The blob push and pull requests of the OCI distribution spec, as a client sends them.</summary>
internal static class RegistryHttp
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static ByteArrayContent Octets(byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
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

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, Action<HttpRequestMessage> configure) =>
        client.SendAsync(HttpMethod.Get, path, configure);

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        configure?.Invoke(request);
        return client.SendAsync(request, Token);
    }

    /// <summary>The single value of a response header, from the response or its content headers.</summary>
    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}

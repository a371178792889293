using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>The few raw Distribution API calls the tests make, with every failure message carrying the response.</summary>
public static class RegistryHttp
{
    /// <summary>Everything a docker or OCI client accepts when pulling an image by tag.</summary>
    public static readonly string[] ManifestMediaTypes =
    [
        OciMediaTypes.DockerManifest,
        OciMediaTypes.DockerManifestList,
        OciMediaTypes.ImageManifest,
        OciMediaTypes.ImageIndex,
    ];

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
        Assert.Equal(OciBlob.DigestOf(bytes), digest);
        var json = JsonNode.Parse(bytes) as JsonObject;
        Assert.True(json is not null, $"The manifest is not a JSON object.{Environment.NewLine}{description}");
        return new RegistryManifest(digest, response.Content.Headers.ContentType?.MediaType, bytes, json);
    }

    /// <summary>GETs a path and parses its body as JSON, asserting the status code first.</summary>
    public static async Task<JsonNode> GetJsonAsync(
        this HttpClient http, string path, System.Net.HttpStatusCode expectedStatus, CancellationToken cancellationToken)
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
        catch (System.Text.Json.JsonException e)
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
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 2048));
        return $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} -> {(int)response.StatusCode} {response.ReasonPhrase}" +
            $"{Environment.NewLine}{string.Join(Environment.NewLine, headers)}{Environment.NewLine}{Environment.NewLine}{text}";
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;

namespace RegistryCloud.EndToEnd.Tests.Conformance;

/// <summary>
/// The raw requests the OCI distribution-spec conformance suite makes, through the gateway, each
/// asserting the status it must get and failing with the whole response when it does not.
/// </summary>
internal static class ConformanceRequests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A fresh repository name, so tests in one registry never see each other's content.</summary>
    public static string NewRepository(string group) => $"conformance/{group}/{Guid.NewGuid():N}";

    /// <summary>Asserts the status and the first OCI error code of the body.</summary>
    public static async Task ExpectErrorAsync(this Task<HttpResponseMessage> sending, HttpStatusCode status, string code)
    {
        using var response = await sending.ExpectAsync(status);
        var body = await response.Content.ReadAsStringAsync(Token);
        var errors = JsonNode.Parse(body)?["errors"]?.AsArray();
        Assert.True(errors is { Count: > 0 }, $"no OCI errors array in: {body}");
        Assert.Equal(code, errors[0]!["code"]!.GetValue<string>());
    }

    /// <summary>POST an upload session; returns its Location (relative to the registry root).</summary>
    public static async Task<string> OpenUploadAsync(this HttpClient http, string repository)
    {
        using var response = await http.SendAsync(HttpMethod.Post, $"v2/{repository}/blobs/uploads/").ExpectAsync(HttpStatusCode.Accepted);
        return Location(response);
    }

    /// <summary>POST then PUT ?digest= with the whole body: the two-request monolithic upload.</summary>
    public static async Task PushBlobWithPutAsync(this HttpClient http, string repository, byte[] content)
    {
        var location = await http.OpenUploadAsync(repository);
        using var response = await http.SendAsync(HttpMethod.Put, RegistryHttp.WithDigest(location, OciBlob.DigestOf(content)), RegistryHttp.Octets(content))
            .ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>PUT a manifest by tag or digest; returns the Docker-Content-Digest the registry answered.</summary>
    public static async Task<string> PushManifestAsync(this HttpClient http, string repository, string reference, byte[] manifest, string mediaType)
    {
        using var response = await http.SendAsync(HttpMethod.Put, $"v2/{repository}/manifests/{reference}", RegistryHttp.Typed(manifest, mediaType))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.False(string.IsNullOrEmpty(Location(response)));
        return Header(response, "Docker-Content-Digest");
    }

    /// <summary>A config, a layer and an OCI image manifest over them (optionally an artifact with a subject).</summary>
    public static TestImage Image(string seed, string? subject = null, string? artifactType = null)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"seed":"{{seed}}"}""");
        var layer = Encoding.UTF8.GetBytes($"layer bytes of {seed} " + new string('x', 2048));
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = Descriptor(OciMediaTypes.ImageConfig, config),
            ["layers"] = new JsonArray(Descriptor(OciMediaTypes.LayerTarGzip, layer)),
        };
        if (artifactType is not null)
        {
            manifest["artifactType"] = artifactType;
        }

        if (subject is not null)
        {
            manifest["subject"] = new JsonObject { ["mediaType"] = OciMediaTypes.ImageManifest, ["digest"] = subject, ["size"] = 1 };
        }

        return new TestImage(config, layer, OciImageLayout.Serialize(manifest));
    }

    /// <summary>Pushes the image's blobs, then its manifest under <paramref name="reference"/>; returns the manifest digest.</summary>
    public static async Task<string> PushImageAsync(this HttpClient http, string repository, TestImage image, string reference)
    {
        await http.PushBlobWithPutAsync(repository, image.Config);
        await http.PushBlobWithPutAsync(repository, image.Layer);
        return await http.PushManifestAsync(repository, reference, image.Manifest, OciMediaTypes.ImageManifest);
    }

    public static string Location(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        Assert.True(location is not null, "the response has no Location header");
        return location.IsAbsoluteUri ? location.PathAndQuery.TrimStart('/') : location.OriginalString.TrimStart('/');
    }

    public static string Header(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values),
            $"the response has no {name} header");
        return string.Join(",", values);
    }

    private static JsonObject Descriptor(string mediaType, byte[] content) =>
        new() { ["mediaType"] = mediaType, ["digest"] = OciBlob.DigestOf(content), ["size"] = content.Length };
}

/// <summary>The three pieces of a test image, as bytes.</summary>
internal sealed record TestImage(byte[] Config, byte[] Layer, byte[] Manifest)
{
    public string ManifestDigest => OciBlob.DigestOf(Manifest);

    public string LayerDigest => OciBlob.DigestOf(Layer);
}

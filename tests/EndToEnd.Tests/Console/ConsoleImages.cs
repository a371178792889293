using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RegistryCloud.EndToEnd.Tests.Images;
using RegistryCloud.EndToEnd.Tests.Infrastructure;

namespace RegistryCloud.EndToEnd.Tests.Console;

/// <summary>Puts the console tests' content into the registry: skopeo for images, the API itself for hand-made manifests.</summary>
public static class ConsoleImages
{
    public const string SignatureArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public const string EmptyConfig = "application/vnd.oci.empty.v1+json";

    /// <summary><c>skopeo copy</c> (with <c>--all</c> for an index) from an OCI layout to the registry, as alice.</summary>
    public static async Task PushAsync(ConsoleRegistryFixture registry, string layout, string repository, string tag, bool all, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--insecure-policy", "copy", "--dest-tls-verify=false", "--dest-creds", ConsoleRegistryFixture.AliceCredentials];
        if (all)
        {
            arguments.Add("--all");
        }

        arguments.Add($"oci:{layout}:{tag}");
        arguments.Add($"docker://{registry.Address}/{repository}:{tag}");
        (await Skopeo.RunAsync(arguments, cancellationToken)).EnsureSuccess($"skopeo copy to {repository}:{tag}");
    }

    /// <summary>A blob pushed as alice (POST then PUT with the digest).</summary>
    public static async Task PushBlobAsync(ConsoleRegistryFixture registry, string repository, OciBlob blob, CancellationToken cancellationToken)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/");
        start.Headers.Authorization = ConsoleRegistryFixture.Basic(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        using var started = await registry.Http.SendAsync(start, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = new Uri(registry.Http.BaseAddress!, started.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(location + separator + "digest=" + Uri.EscapeDataString(blob.Digest)))
        {
            Content = new ByteArrayContent(blob.Bytes),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        put.Headers.Authorization = ConsoleRegistryFixture.Basic(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        using var done = await registry.Http.SendAsync(put, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
    }

    /// <summary>A manifest pushed as alice under a tag or its digest; returns its blob.</summary>
    public static async Task<OciBlob> PushManifestAsync(ConsoleRegistryFixture registry, string repository, string reference, JsonObject manifest, CancellationToken cancellationToken)
    {
        var blob = OciBlob.Of(manifest["mediaType"]!.GetValue<string>(), OciImageLayout.Serialize(manifest));
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{(reference.Length == 0 ? blob.Digest : reference)}")
        {
            Content = new ByteArrayContent(blob.Bytes),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(blob.MediaType);
        put.Headers.Authorization = ConsoleRegistryFixture.Basic(ConsoleRegistryFixture.Alice, ConsoleRegistryFixture.AlicePassword);
        using var response = await registry.Http.SendAsync(put, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT manifest {repository}:{reference}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return blob;
    }

    /// <summary>A cosign-style signature of <paramref name="subject"/>: an artifact manifest whose <c>subject</c> names it.</summary>
    public static async Task<OciBlob> PushSignatureAsync(ConsoleRegistryFixture registry, string repository, OciBlob subject, CancellationToken cancellationToken)
    {
        var config = OciBlob.Of(EmptyConfig, "{}"u8.ToArray());
        var payload = OciBlob.Of("application/vnd.dev.cosign.simplesigning.v1+json", OciImageLayout.Serialize(new JsonObject { ["critical"] = new JsonObject { ["image"] = new JsonObject { ["docker-manifest-digest"] = subject.Digest } } }));
        await PushBlobAsync(registry, repository, config, cancellationToken);
        await PushBlobAsync(registry, repository, payload, cancellationToken);
        return await PushManifestAsync(registry, repository, "", new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["artifactType"] = SignatureArtifactType,
            ["config"] = Descriptor(config),
            ["layers"] = new JsonArray(Descriptor(payload)),
            ["subject"] = Descriptor(subject),
        }, cancellationToken);
    }

    /// <summary>An image whose label and annotation values are HTML and script, pushed by the API.</summary>
    public static async Task<OciBlob> PushHostileImageAsync(ConsoleRegistryFixture registry, string repository, string tag, string hostile, CancellationToken cancellationToken)
    {
        var layer = OciBlob.Of(OciMediaTypes.LayerTarGzip, [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
        var config = OciBlob.Of(OciMediaTypes.ImageConfig, OciImageLayout.Serialize(new JsonObject
        {
            ["created"] = "2024-01-01T00:00:00Z",
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Labels"] = new JsonObject { ["org.example.hostile"] = hostile }, ["Env"] = new JsonArray(hostile) },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef") },
            ["history"] = new JsonArray(new JsonObject { ["created_by"] = hostile }),
        }));
        await PushBlobAsync(registry, repository, layer, cancellationToken);
        await PushBlobAsync(registry, repository, config, cancellationToken);
        return await PushManifestAsync(registry, repository, tag, new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = Descriptor(config),
            ["layers"] = new JsonArray(Descriptor(layer)),
            ["annotations"] = new JsonObject { [hostile] = hostile },
        }, cancellationToken);
    }

    private static JsonObject Descriptor(OciBlob blob) => new()
    {
        ["mediaType"] = blob.MediaType,
        ["digest"] = blob.Digest,
        ["size"] = blob.Size,
    };
}

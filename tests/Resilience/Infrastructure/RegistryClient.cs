using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RegistryCloud.Oci;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// A client that pushes as docker does when the registry misbehaves: each step bounded (through
/// <see cref="ScenarioRun.SendAsync"/>), a failed step retried a few times with a short back-off,
/// an interrupted upload resumed from the offset the registry reports (or started again when the
/// registry no longer knows it). A push counts as stored only when answered 201.
/// </summary>
public static class RegistryClient
{
    private const int Attempts = 12;

    /// <summary>docker's own back-off between retries is of this order; it is the client's behaviour, not a wait for a condition.</summary>
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(250);

    public static ByteArrayContent Body(byte[] bytes, string mediaType = MediaTypes.OctetStream)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>A small image (config and one layer of <paramref name="layerSize"/> bytes) pushed and tagged; false when a step kept failing.</summary>
    public static async Task<bool> PushImageAsync(this ScenarioRun run, string repository, string tag, int layerSize = 4096, int? chunkSize = null)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","created":"{{Guid.NewGuid():N}}"}""");
        var layer = TestContent.NewBlob(layerSize);
        var pushed = await run.PushBlobAsync(repository, config) && (chunkSize is { } size
            ? await run.PushBlobChunkedAsync(repository, layer, size)
            : await run.PushBlobAsync(repository, layer));
        return pushed && await run.PushManifestAsync(repository, tag, Manifest(config, layer));
    }

    /// <summary>An OCI image manifest for a config and one layer.</summary>
    public static byte[] Manifest(byte[] config, byte[] layer) => Encoding.UTF8.GetBytes($$"""
        {"schemaVersion":2,"mediaType":"{{MediaTypes.OciImageManifest}}",
         "config":{"mediaType":"{{MediaTypes.OciImageConfig}}","digest":"{{TestContent.DigestOf(config)}}","size":{{config.Length}}},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{TestContent.DigestOf(layer)}}","size":{{layer.Length}}}]}
        """);

    /// <summary>Monolithic push (POST with <c>digest=</c>), retried.</summary>
    public static Task<bool> PushBlobAsync(this ScenarioRun run, string repository, byte[] bytes) =>
        RetryAsync(async () =>
        {
            var digest = TestContent.DigestOf(bytes);
            using var response = await run.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={Uri.EscapeDataString(digest)}") { Content = Body(bytes) });
            if (response?.StatusCode == HttpStatusCode.Created)
            {
                run.Ledger.Blob(repository, digest, bytes);
                return true;
            }

            return false;
        });

    /// <summary>Manifest PUT by tag, retried.</summary>
    public static Task<bool> PushManifestAsync(this ScenarioRun run, string repository, string tag, byte[] manifest) =>
        RetryAsync(async () =>
        {
            using var response = await run.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}") { Content = Body(manifest, MediaTypes.OciImageManifest) });
            if (response?.StatusCode == HttpStatusCode.Created)
            {
                run.Ledger.Manifest(repository, tag, TestContent.DigestOf(manifest), MediaTypes.OciImageManifest, manifest);
                return true;
            }

            return false;
        });

    /// <summary>Chunked push: POST, PATCHes of <paramref name="chunkSize"/>, PUT; an interruption resumes as <see cref="ResumeUploadAsync"/>.</summary>
    public static async Task<bool> PushBlobChunkedAsync(this ScenarioRun run, string repository, byte[] bytes, int chunkSize) =>
        await run.StartUploadAsync(repository) is { } location && await run.ResumeUploadAsync(repository, location, bytes, chunkSize);

    /// <summary>Opens an upload session; its <c>Location</c>, or null when that kept failing.</summary>
    public static async Task<string?> StartUploadAsync(this ScenarioRun run, string repository)
    {
        string? location = null;
        await RetryAsync(async () =>
        {
            using var response = await run.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/"));
            location = response?.StatusCode == HttpStatusCode.Accepted ? response.Headers.Location?.OriginalString : null;
            return location is not null;
        });
        return location;
    }

    /// <summary>One PATCH of <paramref name="content"/> at <paramref name="offset"/>; the next location, or null when it was not accepted.</summary>
    public static async Task<string?> PatchAsync(this ScenarioRun run, string location, HttpContent content, long offset, long length)
    {
        content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + length - 1}");
        using var response = await run.SendAsync(new HttpRequestMessage(HttpMethod.Patch, location) { Content = content });
        return response?.StatusCode == HttpStatusCode.Accepted ? response.Headers.Location?.OriginalString ?? location : null;
    }

    /// <summary>
    /// Sends what the session does not have yet and commits it: asks the session's offset
    /// (<c>GET</c> its location, <c>Range: 0-N</c>), PATCHes from there, PUTs the digest. When
    /// the registry no longer knows the session, or the committed bytes do not match the digest,
    /// starts a fresh session. True once the PUT answered 201.
    /// </summary>
    public static async Task<bool> ResumeUploadAsync(this ScenarioRun run, string repository, string location, byte[] bytes, int chunkSize)
    {
        var digest = TestContent.DigestOf(bytes);
        return await Poll.AttemptsAsync(Attempts, Backoff, async () =>
        {
            var offset = await run.UploadOffsetAsync(location);
            if (offset is null || offset > bytes.Length)
            {
                location = await run.StartUploadAsync(repository) ?? location;
                offset = 0;
            }

            var current = (string?)location;
            for (var at = offset.Value; current is not null && at < bytes.Length; at += chunkSize)
            {
                var length = (int)Math.Min(chunkSize, bytes.Length - at);
                current = await run.PatchAsync(current, Body(bytes.AsSpan((int)at, length).ToArray()), at, length);
            }

            if (current is null)
            {
                return false;
            }

            location = current;
            var separator = location.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var put = await run.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{location}{separator}digest={Uri.EscapeDataString(digest)}"));
            if (put?.StatusCode == HttpStatusCode.Created)
            {
                run.Ledger.Blob(repository, digest, bytes);
                return true;
            }

            if (put?.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            {
                // The session's bytes are not the blob (or the session is gone): a fresh one.
                location = await run.StartUploadAsync(repository) ?? location;
            }

            return false;
        });
    }

    /// <summary>The number of bytes the session holds (from its <c>Range</c>), or null when the registry no longer knows it.</summary>
    public static async Task<long?> UploadOffsetAsync(this ScenarioRun run, string location)
    {
        long? offset = null;
        await Poll.AttemptsAsync(Attempts, Backoff, async () =>
        {
            using var response = await run.SendAsync(new HttpRequestMessage(HttpMethod.Get, location));
            if (response?.StatusCode == HttpStatusCode.NoContent)
            {
                var range = response.Headers.TryGetValues("Range", out var values) ? values.FirstOrDefault() : null;
                // Distribution answers "0-0" for an empty session as well as for one byte; the
                // scenarios' chunks are never one byte, so "0-0" is read as empty.
                var end = range is null ? -1 : long.Parse(range[(range.IndexOf('-', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                offset = end <= 0 ? 0 : end + 1;
                return true;
            }

            // Gone (404) is an answer too; anything else is tried again.
            return response?.StatusCode == HttpStatusCode.NotFound;
        });

        return offset;
    }

    private static Task<bool> RetryAsync(Func<Task<bool>> step) => Poll.AttemptsAsync(Attempts, Backoff, step);
}

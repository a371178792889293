using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using RegistryCloud.Resilience.Tests.Infrastructure;
using RegistryCloud.Resilience.Tests.Invariants;

namespace RegistryCloud.Resilience.Tests.Scenarios;

/// <summary>
/// The storage volume fills up: a BlobService whose storage root is a 64 MiB tmpfs that a filler
/// file (something else on the volume) nearly fills. A push that does not fit answers an OCI error
/// at once — not a hang, not a bare 500 — and leaves no blob behind; once the filler is removed
/// the same push succeeds, and everything answered 201 pulls back.
/// </summary>
public sealed class StorageFullTests(ResilienceAppFixture registry) : ScenarioTest(registry)
{
    private const int VolumeMebibytes = 64;
    private const int FillerMebibytes = 52;

    [Fact]
    public async Task A_full_volume_answers_a_clear_error_keeps_nothing_partial_and_recovers()
    {
        using var volume = Tmpfs.Mount(VolumeMebibytes);
        var root = Path.Combine(volume.Path, "registry");
        Directory.CreateDirectory(root);
        var filler = Path.Combine(volume.Path, "filler");
        await File.WriteAllBytesAsync(filler, new byte[FillerMebibytes << 20], TestContext.Current.CancellationToken);
        await using var service = await StandaloneBlobService.StartAsync(Registry.App, root);
        var started = Stopwatch.StartNew();
        using var run = new ScenarioRun("storage volume full (64 MiB tmpfs)", service.Address);
        var repository = TestContent.NewRepository("resilience/full");

        var fits = TestContent.NewBlob(2 << 20);
        Assert.True(await run.PushBlobAsync(repository, fits), "a blob that fits did not push");

        // Bigger than what is left, pushed whole and in chunks.
        var tooBig = TestContent.NewBlob(16 << 20);
        run.Fault();
        await RefusedAsync(run, "monolithic push", new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={TestContent.DigestOf(tooBig)}") { Content = RegistryClient.Body(tooBig) });
        // A chunked upload: refused at its start (the session's own files do not fit) or at its chunk, clearly either way.
        var (startStatus, startBody, start) = await run.SendForBodyAsync(new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/"));
        using (start)
        {
            if (startStatus == HttpStatusCode.Accepted && start?.Headers.Location?.OriginalString is { } location)
            {
                var chunk = new HttpRequestMessage(HttpMethod.Patch, location) { Content = RegistryClient.Body(tooBig) };
                chunk.Content.Headers.TryAddWithoutValidation("Content-Range", $"0-{tooBig.Length - 1}");
                await RefusedAsync(run, "chunk", chunk);
            }
            else
            {
                Clear(run, "upload start", startStatus, startBody);
            }
        }

        using (var head = await run.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/{repository}/blobs/{TestContent.DigestOf(tooBig)}"), cancellationToken: TestContext.Current.CancellationToken))
        {
            if (head?.StatusCode != HttpStatusCode.NotFound)
            {
                run.Violation($"disk full: the blob that did not fit answers HEAD {head?.StatusCode.ToString() ?? "no response"}, not 404");
            }
        }

        InvariantChecker.ContentStoreIntact(run, root);

        // Space freed by whoever filled the volume: the same push now succeeds, without a restart.
        File.Delete(filler);
        if (!await run.PushBlobAsync(repository, tooBig))
        {
            run.Violation("disk full: once space was freed the push still failed");
        }

        if (!await run.PushBlobChunkedAsync(repository, TestContent.NewBlob(4 << 20), 1 << 20))
        {
            run.Violation("disk full: once space was freed a chunked push still failed");
        }

        await InvariantChecker.PullableAsync(run);
        InvariantChecker.ContentStoreIntact(run, root);
        Report(run, started.Elapsed);
    }

    /// <summary>The push must be refused with an OCI error body that says what happened, within the request timeout.</summary>
    private static async Task RefusedAsync(ScenarioRun run, string what, HttpRequestMessage request)
    {
        var (status, body, response) = await run.SendForBodyAsync(request);
        response?.Dispose();
        Clear(run, what, status, body);
    }

    private static void Clear(ScenarioRun run, string what, HttpStatusCode? status, byte[] body)
    {
        if (status is null)
        {
            // The service answers as soon as a write fails, and Kestrel then closes a connection
            // whose body is still arriving: a client still sending may see only the close. That is
            // an answer (invariant 3); what it answers when it is read is checked below.
            TestContext.Current.TestOutputHelper?.WriteLine($"disk full: the {what} saw the connection closed before its answer");
            return;
        }

        var text = System.Text.Encoding.UTF8.GetString(body);
        var code = TryParse(text)?["errors"]?[0]?["code"]?.GetValue<string>();
        TestContext.Current.TestOutputHelper?.WriteLine($"disk full: the {what} answered {(int)status} {text}");
        if ((int)status < 400 || code is null)
        {
            run.Violation($"disk full: the {what} answered {(int)status} without an OCI error body: {text}");
        }
        else if (code == "UNKNOWN")
        {
            run.Violation($"disk full: the {what} answered the generic {(int)status} UNKNOWN, not an error saying storage is full: {text}");
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

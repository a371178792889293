using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RegistryCloud.Oci;
using RegistryCloud.Resilience.Tests.Infrastructure;

namespace RegistryCloud.Resilience.Tests.Invariants;

/// <summary>Which invariants a scenario is held to after its fault ends (issue 20's five).</summary>
[Flags]
public enum Checks
{
    /// <summary>1: every push answered 201 pulls back byte for byte, by digest and by tag.</summary>
    Pullable = 1,

    /// <summary>2: every blob in the content store hashes to its digest.</summary>
    ContentStore = 2,

    /// <summary>4: every accepted manifest push is delivered to the webhook.</summary>
    Events = 4,

    /// <summary>4, stricter: delivered in the order the pushes were answered (a scenario that pushes one at a time).</summary>
    EventsInOrder = 8 | Events,

    /// <summary>5: every service healthy again, and a fresh push and pull succeed at once.</summary>
    ServesNormally = 16,

    All = Pullable | ContentStore | EventsInOrder | ServesNormally,
}

/// <summary>
/// Checks what the registry promised against what it holds once a scenario's fault has ended.
/// Hangs (invariant 3) are found as the scenario runs (<see cref="ScenarioRun.SendAsync"/>); the
/// checker's own requests are bounded the same way. Returns the violations, each a sentence.
/// </summary>
public static class InvariantChecker
{
    /// <summary>Time for delivery retries and a restarted service to catch up; far above what either needs.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    public static async Task CheckAsync(ScenarioRun run, ResilienceAppFixture registry, Checks checks)
    {
        if (checks.HasFlag(Checks.ServesNormally))
        {
            await ServesNormallyAsync(run, registry);
        }

        if (checks.HasFlag(Checks.Pullable))
        {
            await PullableAsync(run);
        }

        if (checks.HasFlag(Checks.ContentStore))
        {
            ContentStoreIntact(run, registry.StorageRoot);
        }

        if (checks.HasFlag(Checks.Events))
        {
            await EventsDeliveredAsync(run, registry.Webhook, checks.HasFlag(Checks.EventsInOrder));
        }
    }

    /// <summary>Invariant 2 for any storage root: every <c>blobs/sha256/xx/hex/data</c> hashes to <c>hex</c>.</summary>
    public static void ContentStoreIntact(ScenarioRun run, string storageRoot)
    {
        var blobs = Path.Combine(storageRoot, "docker", "registry", "v2", "blobs", "sha256");
        if (!Directory.Exists(blobs))
        {
            return;
        }

        foreach (var data in Directory.EnumerateFiles(blobs, "data", SearchOption.AllDirectories))
        {
            var hex = Path.GetFileName(Path.GetDirectoryName(data))!;
            using var stream = File.OpenRead(data);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != hex)
            {
                run.Violation($"content store: {data} ({stream.Length} bytes) hashes to sha256:{actual}, not to its digest");
            }
        }
    }

    /// <summary>Invariant 1 against whatever the run's client points at.</summary>
    public static async Task PullableAsync(ScenarioRun run)
    {
        var blobs = run.Ledger.Blobs.DistinctBy(b => (b.Repository, b.Digest)).ToList();
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (blob, _) =>
            Compare(run, $"blob {blob.Repository}@{blob.Digest}", blob.Bytes,
                await run.SendForBodyAsync(new HttpRequestMessage(HttpMethod.Get, $"/v2/{blob.Repository}/blobs/{blob.Digest}"))));

        var manifests = run.Ledger.Manifests;
        // A tag names the last manifest pushed to it.
        var tagged = manifests.GroupBy(m => (m.Repository, m.Tag)).Select(g => g.MaxBy(m => m.Sequence)!).ToHashSet();
        await Parallel.ForEachAsync(manifests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (manifest, _) =>
        {
            Compare(run, $"manifest {manifest.Repository}@{manifest.Digest}", manifest.Bytes,
                await run.SendForBodyAsync(ManifestGet(manifest.Repository, manifest.Digest, manifest.MediaType)));
            if (tagged.Contains(manifest))
            {
                Compare(run, $"manifest {manifest.Repository}:{manifest.Tag}", manifest.Bytes,
                    await run.SendForBodyAsync(ManifestGet(manifest.Repository, manifest.Tag, manifest.MediaType)));
            }
        });
    }

    private static HttpRequestMessage ManifestGet(string repository, string reference, string mediaType)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd(mediaType);
        return request;
    }

    private static void Compare(ScenarioRun run, string what, byte[] expected, (HttpStatusCode? Status, byte[] Body, HttpResponseMessage? Response) pulled)
    {
        using var response = pulled.Response;
        if (pulled.Status != HttpStatusCode.OK)
        {
            run.Violation($"pull: {what} was answered 201 but now answers {pulled.Status?.ToString() ?? "no response"}");
        }
        else if (!pulled.Body.AsSpan().SequenceEqual(expected))
        {
            run.Violation($"pull: {what} reads back {pulled.Body.Length} bytes that differ from the {expected.Length} pushed");
        }
    }

    private static async Task EventsDeliveredAsync(ScenarioRun run, WebhookReceiver webhook, bool inOrder)
    {
        var manifests = run.Ledger.Manifests;
        var wanted = manifests.Select(m => (m.Repository, m.Digest)).ToHashSet();
        // At least once: the first delivery of each push is where it sits in the order.
        var delivered = await SettleAsync(
            () => (List<(string Repository, string Digest)>)[.. webhook.AcceptedEvents
                .Where(e => e["action"]?.GetValue<string>() == "push")
                .Select(e => (Repository: Text(e, "repository"), Digest: Text(e, "digest")))
                .Where(wanted.Contains)
                .Distinct()],
            found => found.Count == wanted.Count);

        foreach (var missing in wanted.Except(delivered))
        {
            run.Violation($"events: the push of {missing.Repository}@{missing.Digest} was accepted but its event was not delivered within {CatchUp.TotalSeconds:0} s");
        }

        if (inOrder)
        {
            // Per repository: the scenarios push each repository's manifests one after another.
            foreach (var repository in manifests.GroupBy(m => m.Repository))
            {
                var expected = repository.Select(m => m.Digest).Distinct().ToList();
                var actual = delivered.Where(d => d.Repository == repository.Key).Select(d => d.Digest).ToList();
                if (actual.Count == expected.Count && !actual.SequenceEqual(expected))
                {
                    run.Violation($"events: {repository.Key}'s pushes were delivered as [{string.Join(", ", actual.Select(Short))}], pushed as [{string.Join(", ", expected.Select(Short))}]");
                }
            }
        }
    }

    private static async Task ServesNormallyAsync(ScenarioRun run, ResilienceAppFixture registry)
    {
        var unhealthy = await SettleAsync(
            () => (List<string>)[.. ResilienceAppFixture.ServiceResources.Where(r => !registry.Processes.IsHealthy(r))],
            found => found.Count == 0);

        foreach (var resource in unhealthy)
        {
            run.Violation($"recovery: {resource} is {registry.Processes.State(resource)}, not healthy, {CatchUp.TotalSeconds:0} s after the fault ended");
        }

        // At once, without the client's retries: the registry must be serving again.
        using var probe = new ScenarioRun(run.Name + " probe", registry.Gateway);
        var repository = TestContent.NewRepository("resilience/probe");
        var config = TestContent.NewBlob(128);
        var layer = TestContent.NewBlob(1024);
        var manifest = RegistryClient.Manifest(config, layer);
        var steps = new (string What, Func<Task<HttpStatusCode?>> Step, HttpStatusCode Expected)[]
        {
            ("config push", () => StatusAsync(probe, new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={TestContent.DigestOf(config)}") { Content = RegistryClient.Body(config) }), HttpStatusCode.Created),
            ("layer push", () => StatusAsync(probe, new HttpRequestMessage(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={TestContent.DigestOf(layer)}") { Content = RegistryClient.Body(layer) }), HttpStatusCode.Created),
            ("manifest push", () => StatusAsync(probe, new HttpRequestMessage(HttpMethod.Put, $"/v2/{repository}/manifests/probe") { Content = RegistryClient.Body(manifest, MediaTypes.OciImageManifest) }), HttpStatusCode.Created),
            ("manifest pull", () => StatusAsync(probe, ManifestGet(repository, "probe", MediaTypes.OciImageManifest)), HttpStatusCode.OK),
            ("layer pull", () => StatusAsync(probe, new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/blobs/{TestContent.DigestOf(layer)}")), HttpStatusCode.OK),
        };
        foreach (var (what, step, expected) in steps)
        {
            var status = await step();
            if (status != expected)
            {
                run.Violation($"recovery: a fresh {what} answered {status?.ToString() ?? "no response"}, not {expected}");
            }
        }

        foreach (var violation in probe.Violations)
        {
            run.Violation(violation);
        }
    }

    private static async Task<HttpStatusCode?> StatusAsync(ScenarioRun run, HttpRequestMessage request)
    {
        using var response = await run.SendAsync(request);
        return response?.StatusCode;
    }

    /// <summary>Polls until <paramref name="done"/> holds or <see cref="CatchUp"/> passes; returns the last read either way, for the violation to say what was seen.</summary>
    private static async Task<T> SettleAsync<T>(Func<T> read, Func<T, bool> done)
    {
        try
        {
            return await Poll.UntilAsync(() => Task.FromResult(read()), done, _ => "not settled", CatchUp, TimeSpan.FromMilliseconds(200));
        }
        catch (Xunit.Sdk.FailException)
        {
            return read();
        }
    }

    private static string Text(JsonObject e, string field) => e["target"]?[field]?.GetValue<string>() ?? "";

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}

extern alias blobservice;
extern alias manifestservice;

using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Events;
using RegistryCloud.NotifierService.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Producers;

/// <summary>
/// The registry's producing and delivering half in process, as the AppHost runs it: BlobService
/// and ManifestService on one filesystem root with notifications to one endpoint, NotifierService
/// delivering to a real webhook receiver, and a redis-server of its own (persistent, so a restart
/// keeps the stream) that a test stops, pauses and brings back. The services' <c>redis</c> section
/// sets <see cref="CommandTimeout"/>, the bound on a command Redis does not answer.
/// </summary>
public sealed class RedisDownRegistry : IAsyncDisposable
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(6);
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    private readonly TemporaryDirectory _directory;
    private readonly BlobHost _blobs;
    private readonly ManifestHost _manifests;

    private RedisDownRegistry(TemporaryDirectory directory, RedisServer redis, WebhookReceiver receiver, NotifierHost notifier, string configuration, string stream)
    {
        _directory = directory;
        Redis = redis;
        Receiver = receiver;
        Notifier = notifier;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            [RegistryEventsOptions.StreamKey] = stream,
            ["REGISTRY_CONFIGURATION_PATH"] = configuration,
        };
        _blobs = new BlobHost(settings);
        _manifests = new ManifestHost(settings, _blobs);
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false };
        Blobs = _blobs.CreateClient(options);
        Manifests = _manifests.CreateClient(options);
    }

    public RedisServer Redis { get; }

    public WebhookReceiver Receiver { get; }

    public NotifierHost Notifier { get; }

    public HttpClient Blobs { get; }

    public HttpClient Manifests { get; }

    public static async Task<RedisDownRegistry> StartAsync()
    {
        var directory = new TemporaryDirectory();
        var redis = await RedisServer.StartPersistentAsync(Directory.CreateDirectory(Path.Combine(directory.Path, "redis")).FullName);
        var receiver = await WebhookReceiver.StartAsync();
        var stream = RedisServer.NewStream();
        var notifier = await NotifierHost.StartAsync(redis, stream, [NotifierHost.Endpoint("hook", receiver.Url)]);
        var configuration = Path.Combine(directory.Path, "config.yml");
        await File.WriteAllTextAsync(configuration, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory.Path, "storage")}
            redis:
              addr: {redis.ConnectionString}
              readtimeout: {CommandTimeout.TotalSeconds}s
            notifications:
              endpoints:
                - name: hook
                  url: {receiver.Url}
            """);
        return new RedisDownRegistry(directory, redis, receiver, notifier, configuration, stream);
    }

    /// <summary>An image of two fresh blobs: its blobs pushed, its manifest not yet.</summary>
    public async Task<byte[]> PushBlobsOfNewImageAsync(string repository)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","id":"{{Guid.NewGuid()}}"}""");
        var layer = TestContent.NewBlob(300);
        await Blobs.PushBlobAsync(repository, config);
        await Blobs.PushBlobAsync(repository, layer);
        return Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":{{config.Length}},"digest":"{{TestContent.DigestOf(config)}}"},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","size":{{layer.Length}},"digest":"{{TestContent.DigestOf(layer)}}"}]}""");
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repository, string tag, byte[] manifest, CancellationToken cancellationToken) =>
        Manifests.PutAsync($"/v2/{repository}/manifests/{tag}", RegistryHttp.Typed(manifest, ManifestType), cancellationToken);

    /// <summary>Pushes the manifest again until it is answered 201, as a client retrying a 503 does.</summary>
    public Task PutManifestUntilCreatedAsync(string repository, string tag, byte[] manifest) =>
        Poll.UntilAsync(
            async () =>
            {
                using var put = await PutManifestAsync(repository, tag, manifest, TestContext.Current.CancellationToken);
                return put.StatusCode == HttpStatusCode.Created;
            },
            $"the push of {repository}:{tag} was not answered 201 once Redis was back",
            TimeSpan.FromSeconds(30));

    /// <summary>Sends a request and asserts it was answered within <paramref name="bound"/>: no request hangs on Redis.</summary>
    public static async Task<HttpResponseMessage> WithinAsync(TimeSpan bound, string what, Func<CancellationToken, Task<HttpResponseMessage>> send)
    {
        // The request is given more than its bound, so one that is merely slow is reported with its time.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(bound * 3);
        var clock = Stopwatch.StartNew();
        var response = await send(limit.Token);
        Assert.True(clock.Elapsed <= bound, $"{what} took {clock.Elapsed.TotalSeconds:0.0} s, over its bound of {bound.TotalSeconds:0.#} s");
        return response;
    }

    /// <summary>The push events the receiver accepted for a repository, by tag.</summary>
    public IReadOnlyList<string?> PushedTags(string repository) =>
        [.. Receiver.EventsFor(repository)
            .Where(e => e["action"]?.GetValue<string>() == "push" && e["target"]?["mediaType"]?.GetValue<string>() == ManifestType)
            .Select(e => e["target"]?["tag"]?.GetValue<string>())];

    public Task WaitForPushEventAsync(string repository, string tag) =>
        Poll.UntilAsync(
            () => PushedTags(repository).Contains(tag),
            () => $"no push event of {repository}:{tag} reached the receiver; it has [{string.Join(", ", PushedTags(repository))}]; notifier log:\n"
                + string.Join("\n", Notifier.Logs.Lines.TakeLast(20).Select(line => line.Message)),
            TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        Blobs.Dispose();
        Manifests.Dispose();
        await _manifests.DisposeAsync();
        await _blobs.DisposeAsync();
        await Notifier.DisposeAsync();
        await Receiver.DisposeAsync();
        await Redis.DisposeAsync();
        _directory.Dispose();
    }

    private sealed class BlobHost(Dictionary<string, string> settings) : WebApplicationFactory<blobservice::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }

    private sealed class ManifestHost(Dictionary<string, string> settings, BlobHost blobs) : WebApplicationFactory<manifestservice::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            // ManifestService's own gRPC client (named after BlobContent.BlobContentClient), over BlobService's TestServer.
            builder.ConfigureTestServices(services =>
                services.AddHttpClient("BlobContentClient").ConfigurePrimaryHttpMessageHandler(() => blobs.Server.CreateHandler()));
        }
    }
}

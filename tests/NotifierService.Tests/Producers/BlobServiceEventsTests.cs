extern alias blobservice;

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;
using RegistryCloud.Events;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.NotifierService.Tests.Producers;

/// <summary>
/// BlobService as it runs, with Redis and an endpoint configured: each action puts its event in
/// the stream before the request reports success, and a change whose event cannot be stored is
/// refused while a pull is still served.
/// </summary>
public sealed class BlobServiceEventsTests(RedisServer redis) : IDisposable
{
    private readonly string _stream = RedisServer.NewStream();
    private readonly string _configuration = Path.Combine(Path.GetTempPath(), $"registry-{Guid.NewGuid():N}.yml");
    private readonly string _storage = Path.Combine(Path.GetTempPath(), $"registry-storage-{Guid.NewGuid():N}");

    public void Dispose()
    {
        File.Delete(_configuration);
        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }

    [Fact]
    public async Task A_push_a_GET_a_mount_and_a_delete_each_leave_their_event_in_order_but_a_HEAD_does_not()
    {
        await using var service = Start(redis.ConnectionString);
        var client = service.CreateClient();
        var content = RandomNumberGenerator.GetBytes(100);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

        var pushed = await client.PostAsync(new Uri($"/v2/team/app/blobs/uploads/?digest={digest}", UriKind.Relative), Octets(content), Cancel);
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{digest}"), Cancel);
        await client.GetAsync(new Uri($"/v2/team/app/blobs/{digest}", UriKind.Relative), Cancel);
        var mounted = await client.PostAsync(new Uri($"/v2/team/copy/blobs/uploads/?mount={digest}&from=team/app", UriKind.Relative), null, Cancel);
        var deleted = await client.DeleteAsync(new Uri($"/v2/team/app/blobs/{digest}", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, mounted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        var events = (await redis.Database.StreamRangeAsync(_stream)).Select(entry => RegistryEventJson.Deserialize((byte[])entry["event"]!)!).ToList();
        Assert.Equal(["push", "pull", "mount", "delete"], events.Select(e => e.Action));
        Assert.All(events.Take(3), e => Assert.Equal(100, e.Target.Size));
        Assert.Equal("GET", events[1].Request.Method);
        Assert.Equal("team/copy", events[2].Target.Repository);
        Assert.Equal("team/app", events[2].Target.FromRepository);
        Assert.Null(events[3].Target.MediaType);
        Assert.All(events, e => Assert.Equal(digest, e.Target.Digest));
    }

    [Fact]
    public async Task When_the_event_cannot_be_stored_a_push_answers_UNAVAILABLE_and_a_pull_is_still_served()
    {
        var content = RandomNumberGenerator.GetBytes(10);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await using (var working = Start(redis.ConnectionString))
        {
            var pushed = await working.CreateClient().PostAsync(new Uri($"/v2/team/app/blobs/uploads/?digest={digest}", UriKind.Relative), Octets(content), Cancel);
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        // Same storage, Redis gone.
        await using var service = Start("127.0.0.1:1,abortConnect=false,connectTimeout=200,asyncTimeout=300,syncTimeout=300");
        var client = service.CreateClient();
        var again = RandomNumberGenerator.GetBytes(10);
        var againDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(again));

        var refused = await client.PostAsync(new Uri($"/v2/team/app/blobs/uploads/?digest={againDigest}", UriKind.Relative), Octets(again), Cancel);
        var pulled = await client.GetAsync(new Uri($"/v2/team/app/blobs/{digest}", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("UNAVAILABLE", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync(Cancel));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private WebApplicationFactory<blobservice::Program> Start(string redisConnection)
    {
        File.WriteAllText(_configuration, """
            version: 0.1
            storage:
              filesystem:
                rootdirectory: /var/lib/registry
              delete:
                enabled: true
            notifications:
              endpoints:
                - name: hook
                  url: http://127.0.0.1:9/events
            """);
        return new WebApplicationFactory<blobservice::Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:redis", redisConnection);
            builder.UseSetting(RegistryEventsOptions.StreamKey, _stream);
            builder.UseSetting("REGISTRY_CONFIGURATION_PATH", _configuration);
            builder.UseSetting("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", _storage);
            builder.UseSetting("REGISTRY_STORAGE_DELETE_ENABLED", "true");
        });
    }

    private static ByteArrayContent Octets(byte[] content)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return body;
    }
}

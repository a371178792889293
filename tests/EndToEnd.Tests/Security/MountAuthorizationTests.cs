using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace RegistryCloud.EndToEnd.Tests.Security;

/// <summary>
/// A cross-repository mount through the gateway links a blob only from a repository the caller may
/// pull: bob, who may push to <c>bob/**</c> but not read <c>alice/**</c>, cannot mount alice's
/// private blob, with or without <c>from</c>, and no answer tells him it exists (issue 15, defect 2).
/// </summary>
public abstract class MountAuthorizationTests(SecureRegistryFixture registry)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_mount_without_from_opens_an_upload_as_for_an_unknown_digest_and_links_nothing()
    {
        var secret = await PushAsAliceAsync($"alice/private-{Guid.NewGuid():N}");
        var target = $"bob/app-{Guid.NewGuid():N}";
        var unknown = Digest(RandomNumberGenerator.GetBytes(100));

        using var mount = await SendAsBobAsync(HttpMethod.Post, $"v2/{target}/blobs/uploads/?mount={secret}", $"repository:{target}:pull,push");
        using var mountUnknown = await SendAsBobAsync(HttpMethod.Post, $"v2/{target}/blobs/uploads/?mount={unknown}", $"repository:{target}:pull,push");

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, mountUnknown.StatusCode);
        Assert.StartsWith($"/v2/{target}/blobs/uploads/", mount.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(mountUnknown.Headers.Select(header => header.Key).Order(), mount.Headers.Select(header => header.Key).Order());
        using var head = await SendAsBobAsync(HttpMethod.Head, $"v2/{target}/blobs/{secret}", $"repository:{target}:pull");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task A_mount_from_a_repository_bob_may_not_pull_is_refused_and_links_nothing()
    {
        var source = $"alice/private-{Guid.NewGuid():N}";
        var secret = await PushAsAliceAsync(source);
        var target = $"bob/app-{Guid.NewGuid():N}";

        using var mount = await SendAsBobAsync(
            HttpMethod.Post, $"v2/{target}/blobs/uploads/?mount={secret}&from={source}", $"repository:{target}:pull,push repository:{source}:pull");

        Assert.Equal(registry.RefusedPushStatus, mount.StatusCode);
        using var head = await SendAsBobAsync(HttpMethod.Head, $"v2/{target}/blobs/{secret}", $"repository:{target}:pull");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Alice_mounts_her_own_blob_from_a_repository_she_may_pull()
    {
        var source = $"alice/private-{Guid.NewGuid():N}";
        var digest = await PushAsAliceAsync(source);
        var target = $"alice/copy-{Guid.NewGuid():N}";

        using var mount = await SendAsync(
            HttpMethod.Post, $"v2/{target}/blobs/uploads/?mount={digest}&from={source}", SecureRegistryFixture.Alice, SecureRegistryFixture.AlicePassword,
            $"repository:{target}:pull,push repository:{source}:pull");

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal($"/v2/{target}/blobs/{digest}", mount.Headers.Location?.OriginalString);
    }

    private async Task<string> PushAsAliceAsync(string repository)
    {
        var content = RandomNumberGenerator.GetBytes(4096);
        var digest = Digest(content);
        using var push = await SendAsync(
            HttpMethod.Post, $"v2/{repository}/blobs/uploads/?digest={digest}", SecureRegistryFixture.Alice, SecureRegistryFixture.AlicePassword,
            $"repository:{repository}:pull,push", new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        return digest;
    }

    private Task<HttpResponseMessage> SendAsBobAsync(HttpMethod method, string path, string scope) =>
        SendAsync(method, path, SecureRegistryFixture.Bob, SecureRegistryFixture.BobPassword, scope);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string user, string password, string scope, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        await registry.AuthorizeAsync(request, user, password, scope, Token);
        return await registry.Http.SendAsync(request, Token);
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}

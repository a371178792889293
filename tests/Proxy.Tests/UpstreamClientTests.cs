using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Oci;

namespace RegistryCloud.Proxy.Tests;

/// <summary>The upstream client against small loopback registries: each auth scheme, and each way an upstream fails.</summary>
public sealed class UpstreamClientTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly UpstreamClientOptions Quick = new() { RequestTimeout = TimeSpan.FromSeconds(2), ConnectTimeout = TimeSpan.FromSeconds(2) };

    private static UpstreamClient Client(TimeProvider? time = null, UpstreamClientOptions? options = null) =>
        new(UpstreamClient.CreateHandler(options ?? Quick), time ?? TimeProvider.System, NullLogger<UpstreamClient>.Instance, options ?? Quick);

    private static ProxyTarget Target(string address, bool credentials = false) =>
        new(new Upstream("fake", new Uri(address + "/"), credentials ? FakeUpstream.User : null, credentials ? FakeUpstream.Password : null, TimeSpan.FromHours(1), false), "team/app");

    [Fact]
    public async Task An_anonymous_upstream_serves_the_manifest_with_its_digest()
    {
        await using var upstream = await FakeUpstream.StartAsync("anonymous");
        using var client = Client();

        var manifest = await client.GetManifestAsync(Target(upstream.Address), "v1", 4 << 20, Token);

        Assert.Equal(FakeUpstream.Manifest, manifest!.Content);
        Assert.Equal(MediaTypes.OciImageManifest, manifest.MediaType);
        Assert.Equal(TestContent.DigestOf(FakeUpstream.Manifest), manifest.Digest.ToString());
        Assert.Null(await client.GetManifestAsync(Target(upstream.Address), "missing", 4 << 20, Token));
    }

    [Fact]
    public async Task Basic_credentials_answer_a_Basic_challenge_and_are_sent_up_front_afterwards()
    {
        await using var upstream = await FakeUpstream.StartAsync("basic");
        using var client = Client();

        Assert.NotNull(await client.GetManifestAsync(Target(upstream.Address, credentials: true), "v1", 4 << 20, Token));
        Assert.NotNull(await client.GetManifestAsync(Target(upstream.Address, credentials: true), "v1", 4 << 20, Token));

        Assert.Equal(3, upstream.Authorizations.Count);
        Assert.Null(upstream.Authorizations[0]);
        Assert.StartsWith("Basic ", upstream.Authorizations[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_credentials_a_Basic_upstream_is_a_denial()
    {
        await using var upstream = await FakeUpstream.StartAsync("basic");
        using var client = Client();

        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetManifestAsync(Target(upstream.Address), "v1", 4 << 20, Token));

        Assert.Equal(UpstreamFailure.Denied, e.Failure);
    }

    [Fact]
    public async Task A_bearer_challenge_gets_a_token_that_is_cached_per_scope_until_it_expires()
    {
        await using var upstream = await FakeUpstream.StartAsync("bearer");
        upstream.TokenLifetimeSeconds = 60;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var client = Client(time);
        var target = Target(upstream.Address);

        Assert.NotNull(await client.GetManifestAsync(target, "v1", 4 << 20, Token));
        Assert.True((await client.HeadManifestAsync(target, "v1", Token)).Found);
        Assert.Equal(1, upstream.TokensIssued);

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.NotNull(await client.GetManifestAsync(target, "v1", 4 << 20, Token));
        Assert.Equal(2, upstream.TokensIssued);
    }

    [Fact]
    public async Task The_token_endpoint_gets_the_configured_credentials()
    {
        await using var upstream = await FakeUpstream.StartAsync("bearer-basic");
        using var client = Client();

        Assert.NotNull(await client.GetManifestAsync(Target(upstream.Address, credentials: true), "v1", 4 << 20, Token));
        var e = await Assert.ThrowsAsync<UpstreamException>(() => Client().GetManifestAsync(Target(upstream.Address), "v1", 4 << 20, Token));
        Assert.Equal(UpstreamFailure.Denied, e.Failure);
    }

    [Fact]
    public async Task A_429_is_passed_on_with_its_Retry_After()
    {
        await using var upstream = await FakeUpstream.StartAsync("anonymous");
        using var client = Client();

        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetManifestAsync(Target(upstream.Address), "limited", 4 << 20, Token));

        Assert.Equal(OciErrorCode.TooManyRequests, e.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
    }

    [Theory]
    [InlineData("broken")]
    [InlineData("fat-headers")]
    public async Task A_5xx_or_an_unreadable_answer_is_unavailable(string reference)
    {
        await using var upstream = await FakeUpstream.StartAsync("anonymous");
        using var client = Client();

        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetManifestAsync(Target(upstream.Address), reference, 4 << 20, Token));

        Assert.Equal(OciErrorCode.Unavailable, e.ErrorCode);
    }

    [Fact]
    public async Task A_manifest_over_the_limit_is_refused()
    {
        await using var upstream = await FakeUpstream.StartAsync("anonymous");
        using var client = Client();

        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetManifestAsync(Target(upstream.Address), "huge", 4 << 20, Token));

        Assert.Equal(UpstreamFailure.Invalid, e.Failure);
    }

    [Fact]
    public async Task An_upstream_that_never_answers_is_unavailable_at_the_deadline_not_a_hang()
    {
        await using var upstream = await FakeUpstream.StartAsync("anonymous");
        using var client = Client();
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetManifestAsync(Target(upstream.Address), "slow", 4 << 20, Token));

        Assert.Equal(UpstreamFailure.Unavailable, e.Failure);
        Assert.InRange(clock.Elapsed, Quick.RequestTimeout - TimeSpan.FromMilliseconds(100), Quick.RequestTimeout * 5);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_unavailable()
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<UpstreamException>(() => client.GetManifestAsync(Target(LoopbackPorts.ClosedAddress()), "v1", 4 << 20, Token));

        Assert.Equal(UpstreamFailure.Unavailable, e.Failure);
    }
}

using System.Globalization;
using System.Net;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Limits;

/// <summary><c>ratelimit.perclient</c>: requests beyond the bucket get 429 <c>TOOMANYREQUESTS</c> with <c>Retry-After</c>.</summary>
public sealed class ClientRateLimitTests(ClientRateLimitedGateway gateway) : IClassFixture<ClientRateLimitedGateway>
{
    [Fact]
    public async Task Requests_beyond_the_client_s_bucket_answer_429_with_retry_after_and_reach_no_backend()
    {
        var client = gateway.CreateClient();
        var repository = TestContent.NewRepository();
        for (var i = 0; i < ClientRateLimitedGateway.Requests; i++)
        {
            using var allowed = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/tag{i}");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/over");

        await OciAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "TOOMANYREQUESTS");
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.False(gateway.AnyBackendSaw($"/v2/{repository}/manifests/over"));
    }
}

/// <summary><c>ratelimit.peruser</c>: each user has a bucket of their own.</summary>
public sealed class UserRateLimitTests(UserRateLimitedGateway gateway) : IClassFixture<UserRateLimitedGateway>
{
    [Fact]
    public async Task One_user_s_exhausted_bucket_leaves_another_user_unaffected()
    {
        var client = gateway.CreateClient();
        var repository = TestContent.NewRepository();

        var alice = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync(client, "alice", $"/v2/{repository}/tags/list");
            alice.Add(response.StatusCode);
        }

        using var bob = await SendAsync(client, "bob", $"/v2/{repository}/tags/list");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], alice);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
    }

    [Fact]
    public async Task A_slow_upload_admitted_under_the_limit_streams_to_its_end()
    {
        // carol's bucket holds two requests an hour; the upload takes one of them and then keeps
        // sending for over a second: admission is what is limited, never a transfer under way.
        var client = gateway.CreateClient();
        var repository = TestContent.NewRepository();
        var path = $"/v2/{repository}/blobs/uploads/slow";
        using var content = new StreamContent(new SlowStream(chunks: 12, chunkSize: 64 * 1024, delay: TimeSpan.FromMilliseconds(100)));

        using var response = await client.SendAsync(HttpMethod.Patch, path, request =>
        {
            request.Headers.Authorization = Htpasswd.Basic("carol", UserRateLimitedGateway.Password);
            request.Content = content;
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(12 * 64 * 1024, (await ReceivedRequest.ReadAsync(response)).BodyLength);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string user, string path) =>
        client.SendAsync(HttpMethod.Get, path, request => request.Headers.Authorization = Htpasswd.Basic(user, UserRateLimitedGateway.Password));

    /// <summary>A request body that arrives in chunks with a pause before each.</summary>
    private sealed class SlowStream(int chunks, int chunkSize, TimeSpan delay) : Stream
    {
        private long _remaining = (long)chunks * chunkSize;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_remaining == 0)
            {
                return 0;
            }

            // A pause at every chunk boundary, whatever size the reader asks for.
            if (_remaining % chunkSize == 0)
            {
                await Task.Delay(delay, cancellationToken);
            }

            var count = (int)Math.Min(buffer.Length, Math.Min(_remaining, chunkSize - ((((long)chunks * chunkSize) - _remaining) % chunkSize)));
            buffer.Span[..count].Fill(0x5a);
            _remaining -= count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

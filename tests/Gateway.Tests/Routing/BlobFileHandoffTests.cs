using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Hosting;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Routing;

/// <summary>
/// The gateway's side of the blob file handoff: it offers to send files only when it sees the
/// storage, sends exactly the range BlobService names and nothing else under the root, and neither
/// header crosses to or from a client. The stand-in BlobService answers as the real one does
/// (BlobService.Tests checks that side).
/// </summary>
public sealed class BlobFileHandoffTests(BlobFileHandoffTests.HandoffGateway gateway) : IClassFixture<BlobFileHandoffTests.HandoffGateway>
{
    private static readonly byte[] Content = Bytes(2 * 1024 * 1024 + 5);
    private static readonly Digest Stored = Digest.Compute(Content);
    private static readonly Digest Other = Digest.Compute([1, 2, 3]);
    private static readonly Digest Missing = Digest.Compute([4, 5, 6]);

    [Fact]
    public async Task A_handed_off_blob_arrives_byte_for_byte_with_its_length_and_no_handoff_header()
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var response = await client.GetAsync($"/v2/app/blobs/{Stored}", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content.Length, response.Content.Headers.ContentLength);
        Assert.False(response.Headers.Contains(BlobFileHandoff.Header));
        Assert.Equal(Stored.ToString(), Assert.Single(response.Headers.GetValues("Docker-Content-Digest")));
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("1", gateway.LastOffer);
    }

    [Fact]
    public async Task A_handed_off_range_arrives_as_206_with_just_those_bytes()
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{Stored}");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 200_999);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 1000-200999/" + Content.Length, response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(Content.AsSpan(1000, 200_000).ToArray(), await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("other")]      // another blob's data file than the digest asked for
    [InlineData("traversal")]  // a path out of the blob store
    [InlineData("garbage")]
    public async Task A_handoff_that_names_anything_but_the_asked_digests_file_sends_nothing(string kind)
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{Stored}");
        request.Headers.Add("X-Test-Handoff", kind);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.False(response.Headers.Contains(BlobFileHandoff.Header));
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"UNKNOWN\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_gone_before_the_gateway_opens_it_is_blob_unknown()
    {
        using var client = gateway.Factory.CreateRegistryClient();
        using var response = await client.GetAsync($"/v2/app/blobs/{Missing}", TestContext.Current.CancellationToken);

        await OciAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
        Assert.False(response.Headers.Contains("Docker-Content-Digest"));
    }

    [Fact]
    public async Task A_client_cannot_make_the_offer_or_carry_a_handoff_on_other_requests()
    {
        using var client = gateway.Factory.CreateRegistryClient();

        // On a HEAD the gateway makes no offer, whatever the client sends.
        using var head = new HttpRequestMessage(HttpMethod.Head, $"/v2/app/blobs/{Stored}");
        head.Headers.Add(BlobFileHandoff.AcceptHeader, "1");
        using (var response = await client.SendAsync(head, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Null(gateway.LastOffer);

        // A manifest answer carrying the header (ManifestService never sends one) sends no file.
        using var manifest = await client.GetAsync($"/v2/app/manifests/{Stored}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.InternalServerError, manifest.StatusCode);
        Assert.False(manifest.Headers.Contains(BlobFileHandoff.Header));
        Assert.NotEqual(Content.Length, (await manifest.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);
    }

    [Fact]
    public async Task A_gateway_that_does_not_see_the_storage_makes_no_offer()
    {
        using var blind = new GatewayFactory(new Dictionary<string, string>(GatewaySettings.ProxyTo(gateway.BackendAddress, gateway.BackendAddress))
        {
            ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = Path.Join(gateway.Root.Path, "elsewhere"),
        });
        using var client = blind.CreateRegistryClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/app/blobs/{Stored}");
        request.Headers.Add(BlobFileHandoff.AcceptHeader, "1");
        request.Headers.Add("X-Test-Echo-Offer", "1");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Test-Offer"));
    }

    private static byte[] Bytes(int size)
    {
        var bytes = new byte[size];
        new Random(11).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// The gateway over a storage root holding one blob file, in front of a BlobService stand-in
    /// that takes every offer and names the asked digest's file (or, on request, another).
    /// </summary>
    public sealed class HandoffGateway : IAsyncLifetime
    {
        private WebApplication? _backend;

        internal GatewayFactory Factory { get; private set; } = null!;

        internal string BackendAddress { get; private set; } = "";

        internal TemporaryDirectory Root { get; } = new();

        /// <summary>The offer header of the last blob request the stand-in saw (null: none).</summary>
        internal string? LastOffer { get; private set; }

        public async ValueTask InitializeAsync()
        {
            WriteBlob(Stored, Content);
            WriteBlob(Other, [1, 2, 3]);
            (_backend, BackendAddress) = await LoopbackApp.StartAsync(backend =>
            {
                backend.MapMethods("/v2/app/blobs/{digest}", ["GET", "HEAD"], (HttpContext context, string digest) =>
                {
                    var offer = context.Request.Headers[BlobFileHandoff.AcceptHeader].ToString();
                    LastOffer = offer.Length == 0 ? null : offer;
                    if (context.Request.Headers.ContainsKey("X-Test-Echo-Offer"))
                    {
                        if (LastOffer is not null)
                        {
                            context.Response.Headers["X-Test-Offer"] = LastOffer;
                        }

                        return Results.NoContent();
                    }

                    var asked = Digest.Parse(digest);
                    context.Response.Headers["Docker-Content-Digest"] = digest;
                    var length = asked == Stored ? Content.Length : 3;
                    if (HttpMethods.IsHead(context.Request.Method) || LastOffer is null)
                    {
                        context.Response.ContentLength = length;
                        return Results.Empty;
                    }

                    long offset = 0, count = length;
                    if (context.Request.Headers.Range.Count > 0)
                    {
                        (offset, count) = (1000, 200_000);
                        context.Response.StatusCode = StatusCodes.Status206PartialContent;
                        context.Response.Headers.ContentRange = $"bytes 1000-200999/{length}";
                    }

                    context.Response.Headers[BlobFileHandoff.Header] = context.Request.Headers["X-Test-Handoff"].ToString() switch
                    {
                        "other" => BlobFileHandoff.Format(RegistryPaths.BlobData(Other), 0, 3),
                        "traversal" => BlobFileHandoff.Format(RegistryPaths.BlobData(asked) + "/../../../../../../../../etc/passwd", 0, 100),
                        "garbage" => "not a handoff",
                        _ => BlobFileHandoff.Format(RegistryPaths.BlobData(asked), offset, count),
                    };
                    context.Response.ContentLength = 0;
                    return Results.Empty;
                });
                backend.MapGet("/v2/app/manifests/{digest}", (HttpContext context, string digest) =>
                {
                    context.Response.Headers[BlobFileHandoff.Header] = BlobFileHandoff.Format(RegistryPaths.BlobData(Stored), 0, Content.Length);
                    return Results.Empty;
                });
            });
            Factory = new GatewayFactory(new Dictionary<string, string>(GatewaySettings.ProxyTo(BackendAddress, BackendAddress))
            {
                ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = Root.Path,
            });
        }

        public async ValueTask DisposeAsync()
        {
            await Factory.DisposeAsync();
            if (_backend is not null)
            {
                await _backend.DisposeAsync();
            }

            Root.Dispose();
        }

        private void WriteBlob(Digest digest, byte[] content)
        {
            var path = Path.Join(Root.Path, RegistryPaths.BlobData(digest));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }
    }
}

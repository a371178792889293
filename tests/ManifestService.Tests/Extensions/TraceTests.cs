using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using RegistryCloud.Configuration;
using RegistryCloud.Hosting.Tracing;
using RegistryCloud.Tests.Shared;
using RegistryCloud.Tests.Shared.Tracing;

namespace RegistryCloud.ManifestService.Tests.Extensions;

/// <summary>
/// ManifestService's server spans, as its tracer provider hands them to an exporter: named for the
/// registry operation with the repository (and reference or digest) as attributes, and a manifest
/// the client asks about but the registry does not have left unset.
/// </summary>
public sealed class TraceTests(TracedManifestService service) : IClassFixture<TracedManifestService>
{
    private static readonly string Missing = "sha256:" + new string('0', 64);

    private readonly HttpClient _client = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory]
    [InlineData("GET", "missing")]
    [InlineData("HEAD", "missing")]
    [InlineData("GET", "sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_manifest_that_is_not_there_is_named_for_the_operation_and_left_unset(string method, string reference)
    {
        var repository = TestContent.NewRepository();

        var span = await SendAsync(new HttpMethod(method), $"/v2/{repository}/manifests/{reference}", HttpStatusCode.NotFound);

        Assert.Equal($"manifest {method}", span.DisplayName);
        Assert.Equal(repository, span.GetTagItem(RegistrySpans.RepositoryAttribute));
        Assert.Equal(reference, span.GetTagItem(RegistrySpans.ReferenceAttribute));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Tags_referrers_and_the_catalog_are_named_for_what_they_list()
    {
        var repository = TestContent.NewRepository();

        var tags = await SendAsync(HttpMethod.Get, $"/v2/{repository}/tags/list", HttpStatusCode.NotFound);
        var referrers = await SendAsync(HttpMethod.Get, $"/v2/{repository}/referrers/{Missing}", HttpStatusCode.OK);
        var catalog = await SendAsync(HttpMethod.Get, "/v2/_catalog", HttpStatusCode.OK);

        Assert.Equal(("tags list", repository), (tags.DisplayName, tags.GetTagItem(RegistrySpans.RepositoryAttribute)));
        Assert.Equal(("referrers", Missing), (referrers.DisplayName, referrers.GetTagItem(RegistrySpans.DigestAttribute)));
        Assert.Equal(("catalog", null), (catalog.DisplayName, catalog.GetTagItem(RegistrySpans.RepositoryAttribute)));
    }

    /// <summary>Sends a request in a trace of its own; the service's server span.</summary>
    private async Task<Activity> SendAsync(HttpMethod method, string path, HttpStatusCode expected)
    {
        var (response, trace) = await service.Spans.SendAsync(_client, new HttpRequestMessage(method, path));
        using (response)
        {
            await OciAssert.StatusAsync(response, expected);
        }

        return await service.Spans.ServerSpanAsync(trace);
    }
}

/// <summary>ManifestService on the in-memory driver with a <see cref="SpanRecorder"/> among its span processors.</summary>
public sealed class TracedManifestService : WebApplicationFactory<Program>
{
    internal SpanRecorder Spans { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(RegistryStorageOptions.DriverKey, "inmemory");
        builder.ConfigureTestServices(Spans.AddTo);
    }
}

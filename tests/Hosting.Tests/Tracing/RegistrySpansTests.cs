using System.Diagnostics;
using RegistryCloud.Hosting.Tracing;

namespace RegistryCloud.Hosting.Tests.Tracing;

/// <summary>
/// Span names and statuses of the registry API, on spans made as the ASP.NET Core (server) and
/// System.Net.Http (client) instrumentation leave them: tagged, and client spans of 400 or more
/// marked as errors.
/// </summary>
public sealed class RegistrySpansTests : IDisposable
{
    private const string Digest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private readonly ActivitySource _source = new("RegistryCloud.Hosting.Tests.Tracing");
    private readonly ActivityListener _listener;

    public RegistrySpansTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Theory]
    [InlineData("GET", "/v2/", "base")]
    [InlineData("GET", "/v2/_catalog", "catalog")]
    [InlineData("GET", "/v2/a/b/c/tags/list", "tags list")]
    [InlineData("GET", "/v2/a/referrers/" + Digest, "referrers")]
    [InlineData("HEAD", "/v2/a/blobs/" + Digest, "blob HEAD")]
    [InlineData("DELETE", "/v2/a/blobs/" + Digest, "blob DELETE")]
    [InlineData("POST", "/v2/a/blobs/uploads/", "upload POST")]
    [InlineData("PUT", "/v2/a/blobs/uploads/0f6d1c2e", "upload PUT")]
    [InlineData("DELETE", "/v2/a/manifests/v1", "manifest DELETE")]
    public void A_registry_span_is_named_for_its_operation(string method, string path, string name)
    {
        using var span = Server(method, path, 200);

        RegistrySpans.Describe(span);

        Assert.Equal(name, span.DisplayName);
    }

    [Fact]
    public void A_client_span_is_read_from_its_url_and_gets_the_repository_and_upload_session()
    {
        using var span = Client("PATCH", "http://blobservice:8080/v2/team/app/blobs/uploads/0f6d1c2e?_state=*", 202);

        RegistrySpans.Describe(span);

        Assert.Equal("upload PATCH", span.DisplayName);
        Assert.Equal("team/app", span.GetTagItem(RegistrySpans.RepositoryAttribute));
        Assert.Equal("0f6d1c2e", span.GetTagItem(RegistrySpans.UploadAttribute));
    }

    [Theory]
    [InlineData("HEAD", "/v2/a/blobs/" + Digest, 404)]
    [InlineData("GET", "/v2/a/manifests/v1", 404)]
    [InlineData("PATCH", "/v2/a/blobs/uploads/0f6d1c2e", 404)]
    [InlineData("PUT", "/v2/a/blobs/uploads/0f6d1c2e", 416)]
    [InlineData("GET", "/v2/_catalog", 401)]
    [InlineData("PUT", "/v2/a/manifests/v1", 401)]
    public void An_expected_miss_on_a_client_span_is_put_back_to_unset(string method, string path, int status)
    {
        using var span = Client(method, "http://backend" + path, status);

        RegistrySpans.Describe(span);

        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Theory]
    [InlineData("DELETE", "/v2/a/manifests/v1", 404)]
    [InlineData("GET", "/v2/a/tags/list", 404)]
    [InlineData("PUT", "/v2/a/manifests/v1", 400)]
    [InlineData("HEAD", "/v2/a/blobs/" + Digest, 500)]
    [InlineData("PATCH", "/v2/a/blobs/uploads/0f6d1c2e", 503)]
    public void Any_other_failure_keeps_its_error(string method, string path, int status)
    {
        using var span = Client(method, "http://backend" + path, status);

        RegistrySpans.Describe(span);

        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/registry.BlobContent/StatBlobs")]
    [InlineData("/v2/a/b")]
    public void Spans_of_other_paths_are_left_alone(string path)
    {
        using var span = Client("POST", "http://blobservice:8081" + path, 404);

        RegistrySpans.Describe(span);

        Assert.Equal("POST", span.DisplayName);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Null(span.GetTagItem(RegistrySpans.RepositoryAttribute));
    }

    [Fact]
    public void An_invalid_repository_name_is_not_recorded()
    {
        using var span = Server("GET", "/v2/Not_Valid/tags/list", 400);

        RegistrySpans.Describe(span);

        Assert.Equal("tags list", span.DisplayName);
        Assert.Null(span.GetTagItem(RegistrySpans.RepositoryAttribute));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }

    /// <summary>A server span as ASP.NET Core's instrumentation leaves it.</summary>
    private Activity Server(string method, string path, int status)
    {
        var span = _source.StartActivity($"{method} /v2/{{**rest}}", ActivityKind.Server)!;
        span.SetTag("http.request.method", method);
        span.SetTag("url.path", path);
        span.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            span.SetStatus(ActivityStatusCode.Error);
        }

        return span;
    }

    /// <summary>A client span as System.Net.Http leaves it: every status of 400 or more an error.</summary>
    private Activity Client(string method, string url, int status)
    {
        var span = _source.StartActivity(method, ActivityKind.Client)!;
        span.SetTag("http.request.method", method);
        span.SetTag("url.full", url);
        span.SetTag("http.response.status_code", status);
        if (status >= 400)
        {
            span.SetStatus(ActivityStatusCode.Error);
            span.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return span;
    }
}

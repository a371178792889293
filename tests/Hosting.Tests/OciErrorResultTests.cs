using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Oci;

namespace RegistryCloud.Hosting.Tests;

/// <summary>The one writer of OCI error bodies: <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
public sealed class OciErrorResultTests
{
    [Fact]
    public async Task An_error_written_after_an_empty_answer_was_framed_drops_the_earlier_Content_Length()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        context.Request.Method = HttpMethods.Patch;
        context.Response.ContentLength = 0;

        await OciErrorResult.WriteAsync(context.Response, OciErrorCode.RangeInvalid, "chunk must start at offset 1000");

        Assert.Null(context.Response.ContentLength);
        Assert.Equal(416, context.Response.StatusCode);
        using var json = JsonDocument.Parse(body.ToArray());
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal("RANGE_INVALID", error.GetProperty("code").GetString());
        Assert.Equal("chunk must start at offset 1000", error.GetProperty("detail").GetString());
    }
}

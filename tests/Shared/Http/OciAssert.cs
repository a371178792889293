using System.Net;
using System.Text.Json;

namespace RegistryCloud.Tests.Shared;

/// <summary>Assertions on the OCI error body <c>{"errors":[{"code","message","detail"}]}</c>.</summary>
public static class OciAssert
{
    /// <summary>Asserts the status and the first error's code, and that the body is a well-formed OCI error.</summary>
    public static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        using var json = JsonDocument.Parse(body);
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.NotEqual(0, errors.GetArrayLength());
        Assert.Equal(code, errors[0].GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(errors[0].GetProperty("message").GetString()));
    }

    /// <summary>Asserts a status, showing the body when it differs.</summary>
    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Fail($"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        }
    }
}

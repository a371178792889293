using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Hosting.Tests;

/// <summary>
/// Issue 20: a write that finds the storage volume full (ENOSPC) answered the generic
/// <c>500 UNKNOWN</c>, which tells an operator nothing. It answers 507 with an error that says
/// the storage is full.
/// </summary>
public sealed class StorageFullErrorTests
{
    /// <summary>ENOSPC, as .NET reports it in an IOException's HResult on Linux and macOS.</summary>
    private const int NoSpace = 28;

    [Fact]
    public async Task A_full_storage_volume_answers_507_saying_so_without_a_stack_trace()
    {
        var (app, address) = await LoopbackApp.StartAsync(app =>
        {
            app.UseOciExceptionHandler();
            app.MapPost("/write", IResult () => throw new IOException("No space left on device : '/var/lib/registry/docker/registry/v2/repositories/a/_uploads/x/data'", NoSpace));
        });
        await using var _ = app;
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var response = await client.PostAsync("/write", content: null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(text);
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Contains("storage full", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/var/lib/registry", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }
}

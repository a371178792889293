using System.Net;
using System.Text;

namespace RegistryCloud.WebConsole.Tests.Pages;

/// <summary>
/// BlobService's <c>GET /status</c> as the console sees it: collection on every hour, its last run
/// reclaimed one blob of 1 KiB, and the store holds 2 KiB in 2 blobs counted three minutes ago.
/// </summary>
internal sealed class FakeBlobService : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.AbsolutePath != "/status")
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        }

        var now = DateTimeOffset.UtcNow;
        var json = $$"""
            {"replica":"blobservice-1",
             "gc":{"enabled":true,"dryRun":false,"interval":"01:00:00",
                   "lastRun":{"startedAt":"{{now.AddMinutes(-5):O}}","finishedAt":"{{now.AddMinutes(-4):O}}","outcome":"ok","blobsRemoved":1,"bytesReclaimed":1024,"manifestsRemoved":0,"errors":0},
                   "nextRunAt":"{{now.AddMinutes(55):O}}"},
             "storage":{"bytes":2048,"blobs":2,"measuredAt":"{{now.AddMinutes(-3).AddSeconds(-10):O}}","source":"gc"},
             "storageMeasuring":false}
            """;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}

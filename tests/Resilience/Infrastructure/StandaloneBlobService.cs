using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// One BlobService process of its own, outside the AppHost, on a storage root the test chooses
/// (a small tmpfs): started as DCP starts the replicas (<c>dotnet run --no-build</c> of the
/// project the app model names), answering blob requests directly on a loopback port.
/// </summary>
public sealed class StandaloneBlobService : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private StandaloneBlobService(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<StandaloneBlobService> StartAsync(DistributedApplication app, string storageRoot)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var project = model.Resources.OfType<ProjectResource>().Single(r => r.Name == "blobservice")
            .Annotations.OfType<IProjectMetadata>().Single().ProjectPath;
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", ["run", "--project", project, "--no-build", "--no-launch-profile"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = storageRoot;
        start.Environment["REGISTRY_STORAGE_DELETE_ENABLED"] = "true";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new StandaloneBlobService(process, new Uri($"http://127.0.0.1:{port}/"));
        using var probe = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await probe.GetAsync("/health", TestContext.Current.CancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            () => $"the standalone BlobService did not answer /health (exited: {process.HasExited}):{Environment.NewLine}{string.Join(Environment.NewLine, output.TakeLast(30))}",
            StartTimeout);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

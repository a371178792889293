using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RegistryCloud.Oci;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.BlobService.Tests.Uploads;

/// <summary>
/// A blob and a link answered 201 survive power loss: each rename that publishes them is followed
/// by an fsync of the directory it renamed into, and of the parent of every directory created for
/// it (issue 15, defect 8). Watched from outside: the real BlobService process runs under strace.
/// </summary>
public sealed partial class DurabilityTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_pushed_blob_and_its_repository_link_are_synced_into_their_directories_before_the_201()
    {
        var trace = Path.Combine(_root.Path, "strace.out");
        var storage = Path.Combine(_root.Path, "storage");
        var content = TestContent.NewBlob(70_000);
        var digest = Digest.Parse(TestContent.DigestOf(content));
        var repository = TestContent.NewRepository();

        await using (var service = await TracedBlobService.StartAsync(trace, storage))
        {
            var location = await service.Client.StartUploadAsync(repository);
            using var put = await service.Client.PutAsync(RegistryHttp.WithDigest(location, digest.ToString()), RegistryHttp.Octets(content), Token);
            await OciAssert.StatusAsync(put, HttpStatusCode.Created);
        }

        var calls = await ReadCallsAsync(trace);
        var blob = storage + RegistryPaths.BlobData(digest);
        var link = storage + RegistryPaths.LayerLink(repository, digest);
        var blobRename = calls.FindIndex(call => call.Name.StartsWith("rename", StringComparison.Ordinal) && call.Arguments.EndsWith($"\"{blob}\"", StringComparison.Ordinal));
        var linkRename = calls.FindIndex(call => call.Name.StartsWith("rename", StringComparison.Ordinal) && call.Arguments.EndsWith($"\"{link}\"", StringComparison.Ordinal));
        Assert.True(blobRename >= 0 && linkRename >= 0, "the blob or its link was not renamed into place:\n" + string.Join('\n', calls));

        // The blob's and the link's own directories, and each directory that was new for them.
        AssertSyncedAfter(calls, blobRename, Path.GetDirectoryName(blob)!);
        AssertSyncedAfter(calls, blobRename, Path.GetDirectoryName(Path.GetDirectoryName(blob))!);
        AssertSyncedAfter(calls, linkRename, Path.GetDirectoryName(link)!);
        AssertSyncedAfter(calls, linkRename, Path.GetDirectoryName(Path.GetDirectoryName(link))!);
    }

    private static void AssertSyncedAfter(List<Call> calls, int rename, string directory)
    {
        // The first of the opens of the directory after the rename whose descriptor is then fsynced.
        var later = calls.Skip(rename + 1).ToList();
        var synced = later
            .Select((call, index) => (call, index))
            .Where(open => open.call.Name == "openat" && open.call.Arguments.Contains($"\"{directory}\"", StringComparison.Ordinal) && open.call.Result >= 0)
            .Any(open => later.Skip(open.index + 1).Any(call =>
                call.Name == "fsync" && call.Thread == open.call.Thread && call.Arguments == open.call.Result.ToString(CultureInfo.InvariantCulture) && call.Result == 0));
        Assert.True(synced, $"{directory} was not synced after the rename:\n" + string.Join('\n', calls));
    }

    private static async Task<List<Call>> ReadCallsAsync(string trace)
    {
        var calls = new List<Call>();
        foreach (var line in await File.ReadAllLinesAsync(trace, Token))
        {
            if (CallLine().Match(line) is { Success: true } match)
            {
                calls.Add(new Call(
                    match.Groups["thread"].Value, match.Groups["name"].Value, match.Groups["args"].Value,
                    long.Parse(match.Groups["result"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return calls;
    }

    // "1234  openat(AT_FDCWD, "/x", O_RDONLY|O_CLOEXEC) = 7"; a call a thread switch split in two is left out.
    [GeneratedRegex(@"^(?<thread>\d+)\s+(?<name>\w+)\((?<args>.*)\)\s+=\s+(?<result>-?\d+)")]
    private static partial Regex CallLine();

    private sealed record Call(string Thread, string Name, string Arguments, long Result)
    {
        public override string ToString() => $"{Thread} {Name}({Arguments}) = {Result}";
    }

    /// <summary>BlobService as its own process (the build output beside this test), started by strace.</summary>
    private sealed class TracedBlobService : IAsyncDisposable
    {
        private readonly Process _strace;

        private TracedBlobService(Process strace, int port)
        {
            _strace = strace;
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }

        public HttpClient Client { get; }

        public static async Task<TracedBlobService> StartAsync(string trace, string storage)
        {
            var port = LoopbackPorts.Free();
            var service = Path.Combine(AppContext.BaseDirectory, "RegistryCloud.BlobService.dll");
            var start = new ProcessStartInfo(
                "strace", ["-f", "--seccomp-bpf", "-qq", "-e", "trace=openat,rename,renameat,renameat2,fsync", "-o", trace, "dotnet", service])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                    ["REGISTRY_STORAGE"] = "filesystem",
                    ["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = storage,
                },
            };
            var strace = Process.Start(start) ?? throw new InvalidOperationException("strace did not start");
            strace.OutputDataReceived += (_, _) => { };
            strace.ErrorDataReceived += (_, _) => { };
            strace.BeginOutputReadLine();
            strace.BeginErrorReadLine();
            var traced = new TracedBlobService(strace, port);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                try
                {
                    using var probe = await traced.Client.GetAsync("/v2/t/x/blobs/uploads/00000000-0000-0000-0000-000000000000", Token);
                    return traced;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !strace.HasExited)
                {
                    await Task.Delay(100, Token);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            // The service stops as its host would stop it; strace ends with it and closes the trace.
            using (var stop = Process.Start("pkill", ["-TERM", "-P", _strace.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await stop.WaitForExitAsync(CancellationToken.None);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _strace.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _strace.Kill(entireProcessTree: true);
                await _strace.WaitForExitAsync(CancellationToken.None);
            }

            _strace.Dispose();
        }
    }
}

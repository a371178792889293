using System.Text.Json;
using RegistryCloud.Storage;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Admin.Tests;

/// <summary><c>repos</c> lists a storage root's repositories with their tags and the size of the distinct blobs they link.</summary>
public sealed class ReposTests : IDisposable
{
    private const string SharedLayer = "a base layer both repositories use";      // 33 bytes
    private const string AppLayer = "the application's own layer";               // 28 bytes
    private const string CliLayer = "the cli's layer, a little longer than that"; // 42 bytes
    private const string AppManifest = """{"schemaVersion":2,"name":"app"}""";    // 32 bytes
    private const string CliManifest = """{"schemaVersion":2,"name":"cli"}""";    // 32 bytes

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Two_repositories_sharing_a_blob_each_count_it_once_with_their_own_tags()
    {
        var root = await TwoRepositoriesAsync();

        var repositories = await ListAsJsonAsync("--root", root.Directory);

        Assert.Equal(["library/app", "tools/cli"], repositories.Select(repository => repository.Name));
        var app = repositories[0];
        Assert.Equal(2, app.Tags);
        Assert.Equal(3, app.Blobs);
        Assert.Equal(Bytes(SharedLayer, AppLayer, AppManifest), app.Size);
        var cli = repositories[1];
        Assert.Equal(1, cli.Tags);
        Assert.Equal(3, cli.Blobs);
        Assert.Equal(Bytes(SharedLayer, CliLayer, CliManifest), cli.Size);
    }

    [Fact]
    public async Task A_blob_linked_twice_in_one_repository_as_layer_and_manifest_counts_once()
    {
        var root = new StorageRoot(_directory.Path);
        var digest = await root.ManifestAsync("self", AppManifest, "latest");
        await root.LinkLayerAsync("self", digest);

        var repository = Assert.Single(await ListAsJsonAsync("--root", root.Directory));

        Assert.Equal(1, repository.Blobs);
        Assert.Equal(Bytes(AppManifest), repository.Size);
    }

    [Fact]
    public async Task Repositories_are_sorted_by_name_and_a_name_may_nest_inside_another()
    {
        var root = new StorageRoot(_directory.Path);
        foreach (var name in new[] { "zeta", "alpha/beta", "alpha", "mid/dle/deep" })
        {
            await root.ManifestAsync(name, $$"""{"name":"{{name}}"}""", "v1");
        }

        var repositories = await ListAsJsonAsync("--root", root.Directory);

        Assert.Equal(["alpha", "alpha/beta", "mid/dle/deep", "zeta"], repositories.Select(repository => repository.Name));
    }

    [Fact]
    public async Task A_tag_without_a_current_link_is_not_counted()
    {
        var root = await TwoRepositoriesAsync();
        await root.DeleteAsync(RegistryPaths.TagCurrentLink("library/app", "1.0"));

        var app = (await ListAsJsonAsync("--root", root.Directory))[0];

        Assert.Equal(1, app.Tags);
    }

    [Fact]
    public async Task A_link_to_a_blob_whose_data_is_gone_is_warned_about_and_not_counted()
    {
        var root = new StorageRoot(_directory.Path);
        var gone = await root.BlobAsync(CliLayer);
        await root.LinkLayerAsync("app", gone);
        await root.LinkLayerAsync("app", await root.BlobAsync(AppLayer));
        await root.DeleteAsync(RegistryPaths.BlobDirectory(gone));

        var result = await AdminRun.RunAsync("repos", "--json", "--root", root.Directory);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: app: 1 linked blob(s) have no data", result.Error, StringComparison.Ordinal);
        var app = Assert.Single(Parse(result.Out));
        Assert.Equal(1, app.Blobs);
        Assert.Equal(Bytes(AppLayer), app.Size);
    }

    [Fact]
    public async Task The_table_shows_each_repository_on_a_line_with_tags_blobs_and_size()
    {
        var root = await TwoRepositoriesAsync();

        var result = await AdminRun.RunAsync("repos", "--root", root.Directory);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.TrimEnd().Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        Assert.Equal(["REPOSITORY", "TAGS", "BLOBS", "SIZE"], Columns(lines[0]));
        Assert.Equal(["library/app", "2", "3", $"{Bytes(SharedLayer, AppLayer, AppManifest)}", "B"], Columns(lines[1]));
        Assert.Equal(["tools/cli", "1", "3", $"{Bytes(SharedLayer, CliLayer, CliManifest)}", "B"], Columns(lines[2]));
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task The_configuration_names_the_root_after_environment_overrides()
    {
        var root = await TwoRepositoriesAsync();
        using var elsewhere = new TemporaryDirectory();
        var config = AdminRun.WriteConfig(elsewhere.Path, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /nonexistent/registry\n");

        var result = await AdminRun.RunAsync(
            ["repos", "--json", config], "", ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.Directory));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, Parse(result.Out).Count);
    }

    [Fact]
    public async Task A_root_that_does_not_exist_is_named_by_its_key_and_not_created()
    {
        var missing = Path.Combine(_directory.Path, "missing");
        var config = AdminRun.WriteConfig(_directory.Path, $"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {missing}\n");

        var fromConfig = await AdminRun.RunAsync("repos", config);
        var fromOption = await AdminRun.RunAsync("repos", "--root", missing);

        Assert.Equal(1, fromConfig.ExitCode);
        Assert.Equal($"error: storage.filesystem.rootdirectory: directory '{missing}' does not exist", fromConfig.Error.TrimEnd());
        Assert.Equal(1, fromOption.ExitCode);
        Assert.StartsWith("error: --root:", fromOption.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task The_in_memory_driver_has_nothing_to_list_and_says_so_by_key()
    {
        var config = AdminRun.WriteConfig(_directory.Path, "version: 0.1\nstorage: inmemory\n");

        var result = await AdminRun.RunAsync("repos", config);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: storage.inmemory:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_root_lists_no_repositories()
    {
        var result = await AdminRun.RunAsync("repos", "--json", "--root", _directory.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Parse(result.Out));
    }

    [Fact]
    public async Task A_configuration_and_a_root_together_are_a_usage_error()
    {
        var result = await AdminRun.RunAsync("repos", "config.yml", "--root", _directory.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not both", result.Error, StringComparison.Ordinal);
    }

    private async Task<StorageRoot> TwoRepositoriesAsync()
    {
        var root = new StorageRoot(_directory.Path);
        var shared = await root.BlobAsync(SharedLayer);
        await root.LinkLayerAsync("library/app", shared);
        await root.LinkLayerAsync("library/app", await root.BlobAsync(AppLayer));
        await root.ManifestAsync("library/app", AppManifest, "1.0", "latest");
        await root.LinkLayerAsync("tools/cli", shared);
        await root.LinkLayerAsync("tools/cli", await root.BlobAsync(CliLayer));
        await root.ManifestAsync("tools/cli", CliManifest, "v1");
        return root;
    }

    private static long Bytes(params string[] contents) => contents.Sum(content => (long)System.Text.Encoding.UTF8.GetByteCount(content));

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<List<Listed>> ListAsJsonAsync(params string[] args)
    {
        var result = await AdminRun.RunAsync(["repos", "--json", .. args]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        return Parse(result.Out);
    }

    private static List<Listed> Parse(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(element => new Listed(
            element.GetProperty("name").GetString()!,
            element.GetProperty("tags").GetInt32(),
            element.GetProperty("blobs").GetInt32(),
            element.GetProperty("size").GetInt64()))];

    private sealed record Listed(string Name, int Tags, int Blobs, long Size);
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RegistryCloud.Admin.Repositories;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// <c>registrycloud repos [config.yml] [--root dir] [--json]</c>: every repository of a storage
/// root (or of the s3 bucket or azure container a configuration names) with its tag count and
/// size, sorted by name. Reads only; the storage may be Distribution's own.
/// </summary>
internal static class ReposCommand
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static Command Create(AdminConsole console)
    {
        var file = ConfigurationFile.CreateArgument();
        var root = new Option<string?>("--root")
        {
            Description = "The storage root directory to read instead of the configuration's storage.filesystem.rootdirectory.",
        };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (sizes in bytes) instead of a table." };
        var command = new Command("repos", "Lists the repositories of the storage root with their tag counts and sizes.")
        {
            file,
            root,
            json,
        };
        command.SetAction((result, cancellationToken) => AdminApp.GuardAsync(console, () =>
            ExecuteAsync(console, result.GetValue(file), result.GetValue(root), result.GetValue(json), cancellationToken)));
        return command;
    }

    private static async Task<int> ExecuteAsync(
        AdminConsole console, string? path, string? root, bool json, CancellationToken cancellationToken)
    {
        if (path is not null && root is not null)
        {
            console.WriteError("give a config.yml or --root, not both");
            return ExitCodes.Usage;
        }

        using var storage = StorageTarget.Open(console, path, root, "list");
        var repositories = await storage.RunAsync(driver => new RepositoryScanner(driver).ScanAsync(cancellationToken)).ConfigureAwait(false);
        foreach (var repository in repositories.Where(repository => repository.MissingBlobs > 0))
        {
            console.WriteWarning(console.Error, $"{repository.Name}: {repository.MissingBlobs} linked blob(s) have no data; not counted");
        }

        console.Out.Write(json ? ToJson(repositories) : ToTable(repositories));
        return ExitCodes.Ok;
    }

    private static string ToTable(IReadOnlyList<RepositorySummary> repositories)
    {
        var width = Math.Max("REPOSITORY".Length, repositories.Select(repository => repository.Name.Length).DefaultIfEmpty().Max());
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"{"REPOSITORY".PadRight(width)}  {"TAGS",5}  {"BLOBS",5}  {"SIZE",10}\n");
        foreach (var repository in repositories)
        {
            table.Append(CultureInfo.InvariantCulture,
                $"{repository.Name.PadRight(width)}  {repository.Tags,5}  {repository.Blobs,5}  {HumanSize(repository.Size),10}\n");
        }

        return table.ToString();
    }

    private static string ToJson(IReadOnlyList<RepositorySummary> repositories)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var repository in repositories)
            {
                writer.WriteStartObject();
                writer.WriteString("name", repository.Name);
                writer.WriteNumber("tags", repository.Tags);
                writer.WriteNumber("blobs", repository.Blobs);
                writer.WriteNumber("size", repository.Size);
                writer.WriteNumber("missingBlobs", repository.MissingBlobs);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string HumanSize(long bytes)
    {
        var unit = 0;
        var value = (double)bytes;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }
}

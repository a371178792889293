using System.CommandLine;
using RegistryCloud.Lifecycle.Gc;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// <c>registrycloud gc [config.yml] [--dry-run] [--delete-untagged] [--root dir]</c>: Distribution's
/// <c>registry garbage-collect</c>, with its flags and its output, on a stopped registry's storage
/// (RegistryCloud's or Distribution's own): a filesystem root, or the s3 bucket or azure container
/// a configuration names, through the services' drivers. Everything no tag reaches is eligible
/// at once, as in Distribution: there is no grace period offline, so stop the registry first. With a
/// configuration file, its <c>policies.retention</c> removes tags first, as the online collector does.
/// </summary>
internal static class GcCommand
{
    public static Command Create(AdminConsole console)
    {
        var file = ConfigurationFile.CreateArgument();
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Do everything except remove the blobs." };
        var deleteUntagged = new Option<bool>("--delete-untagged", "-m")
        {
            Description = "Delete manifests that are not currently referenced via tag (nor by a kept index or as a referrer of a kept manifest).",
        };
        var root = new Option<string?>("--root") { Description = "The storage root directory to collect instead of the configuration's storage.filesystem.rootdirectory." };
        var command = new Command("gc", "Removes blobs, links and (with --delete-untagged) manifests nothing references, on a stopped registry's " +
            "storage: --root, or the configuration's filesystem, s3 or azure storage.")
        {
            file,
            dryRun,
            deleteUntagged,
            root,
        };
        command.Aliases.Add("garbage-collect");
        command.SetAction((result, cancellationToken) => AdminApp.GuardAsync(console, () => ExecuteAsync(
            console, result.GetValue(file), result.GetValue(root), new GcOptions
            {
                Delay = TimeSpan.Zero,
                DryRun = result.GetValue(dryRun),
                DeleteUntagged = result.GetValue(deleteUntagged),
            }, cancellationToken)));
        return command;
    }

    private static async Task<int> ExecuteAsync(AdminConsole console, string? path, string? root, GcOptions options, CancellationToken cancellationToken)
    {
        if (path is not null && root is not null)
        {
            console.WriteError("give a config.yml or --root, not both");
            return ExitCodes.Usage;
        }

        using var storage = StorageTarget.Open(console, path, root, "collect");

        // The configuration's retention rules apply offline as they do online.
        options = storage.Configuration is { } configuration ? options with { Policies = configuration.Policies } : options;
        return await storage.RunAsync(async driver =>
        {
            var collector = new GarbageCollector(driver, new InMemoryGcCoordinator(TimeProvider.System), TimeProvider.System, console.Out.WriteLine);
            var report = await collector.RunAsync(options, cancellationToken).ConfigureAwait(false);
            if (report.Errors > 0)
            {
                console.WriteWarning(console.Error, $"{report.Errors} manifest(s) or file(s) could not be read or removed; each was kept (see the lines above)");
            }

            return ExitCodes.Ok;
        }).ConfigureAwait(false);
    }
}

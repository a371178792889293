using System.CommandLine;
using RegistryCloud.Lifecycle.Scrub;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// <c>registrycloud scrub [config.yml] [--dry-run] [--root dir]</c>: re-hashes every blob of a
/// filesystem root, or of the s3 bucket or azure container a configuration names, and moves any whose bytes do not match its digest into the quarantine
/// (<c>docker/registry/v2/_quarantine</c>), so the next push of the right bytes stores them again.
/// Exit code 1 when a blob did not match, so a cron job notices.
/// </summary>
internal static class ScrubCommand
{
    public static Command Create(AdminConsole console)
    {
        var file = ConfigurationFile.CreateArgument();
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Report blobs that do not match their digest, move nothing." };
        var root = new Option<string?>("--root") { Description = "The storage root directory to check instead of the configuration's storage.filesystem.rootdirectory." };
        var command = new Command("scrub", "Re-hashes every stored blob and quarantines those whose bytes do not match their digest: " +
            "--root, or the configuration's filesystem, s3 or azure storage.")
        {
            file,
            dryRun,
            root,
        };
        command.SetAction((result, cancellationToken) => AdminApp.GuardAsync(console, () =>
            ExecuteAsync(console, result.GetValue(file), result.GetValue(root), result.GetValue(dryRun), cancellationToken)));
        return command;
    }

    private static async Task<int> ExecuteAsync(AdminConsole console, string? path, string? root, bool dryRun, CancellationToken cancellationToken)
    {
        if (path is not null && root is not null)
        {
            console.WriteError("give a config.yml or --root, not both");
            return ExitCodes.Usage;
        }

        using var storage = StorageTarget.Open(console, path, root, "scrub");
        return await storage.RunAsync(async driver =>
        {
            var report = await new Scrubber(driver, TimeProvider.System, console.Out.WriteLine)
                .RunAsync(new ScrubOptions { DryRun = dryRun }, cancellationToken)
                .ConfigureAwait(false);
            return report.Mismatched > 0 || report.Errors > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        }).ConfigureAwait(false);
    }
}

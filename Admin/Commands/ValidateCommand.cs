using System.CommandLine;
using RegistryCloud.Configuration;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// <c>registrycloud validate [config.yml]</c>: what a service would say about the file at start-up —
/// each warning (unknown keys, settings RegistryCloud does not implement) with its key path, then
/// <c>ok</c>; or the errors, each naming its key, and exit code 1.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(AdminConsole console)
    {
        var file = ConfigurationFile.CreateArgument();
        var skipFiles = new Option<bool>("--skip-files")
        {
            Description = "Do not check that the files the configuration names (TLS certificate and key, htpasswd, ...) exist, " +
                "for a file written for another machine.",
        };
        var command = new Command("validate", "Checks a config.yml as the services load it: warnings by key path, then 'ok'.")
        {
            file,
            skipFiles,
        };
        command.SetAction((result, _) => AdminApp.GuardAsync(console, () =>
            Task.FromResult(Execute(console, result.GetValue(file), result.GetValue(skipFiles)))));
        return command;
    }

    private static int Execute(AdminConsole console, string? path, bool skipFiles)
    {
        var loaded = ConfigurationFile.Load(console, path);
        foreach (var warning in loaded.Warnings)
        {
            console.WriteWarning(console.Out, warning);
        }

        if (!skipFiles)
        {
            RegistryConfigurationLoader.ValidateFiles(loaded.Configuration);
        }

        console.Out.WriteLine("ok");
        return ExitCodes.Ok;
    }
}

using System.CommandLine;

namespace RegistryCloud.Admin.Commands;

/// <summary>
/// <c>registrycloud config [config.yml]</c>: the effective configuration — defaults filled in,
/// <c>REGISTRY_*</c> overrides applied — as YAML with secrets masked, so it can be pasted into an
/// issue. Warnings go to stderr so stdout stays a loadable file.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(AdminConsole console)
    {
        var file = ConfigurationFile.CreateArgument();
        var command = new Command(
            "config",
            "Prints the effective configuration (after REGISTRY_* overrides) as YAML with secrets masked.")
        {
            file,
        };
        command.SetAction((result, _) => AdminApp.GuardAsync(console, () => Task.FromResult(Execute(console, result.GetValue(file)))));
        return command;
    }

    private static int Execute(AdminConsole console, string? path)
    {
        var loaded = ConfigurationFile.Load(console, path);
        foreach (var warning in loaded.Warnings)
        {
            console.WriteWarning(console.Error, warning);
        }

        console.Out.Write(loaded.Configuration.ToMaskedYaml());
        return ExitCodes.Ok;
    }
}

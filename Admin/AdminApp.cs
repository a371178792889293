using System.CommandLine;
using System.CommandLine.Help;
using RegistryCloud.Admin.Commands;

namespace RegistryCloud.Admin;

/// <summary>
/// The <c>registrycloud</c> command line: one verb per <c>Commands/</c> class. Exit codes: 0 done,
/// 1 bad input (a message on stderr naming the key, file or argument), 2 a usage error.
/// </summary>
internal static class AdminApp
{
    public const string ToolName = "registrycloud";

    public static async Task<int> RunAsync(string[] args, AdminConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);

        // A plain Command rather than RootCommand: RootCommand names itself after the host
        // executable, which is "RegistryCloud.Admin" or a test host rather than the tool's name.
        var root = new Command(ToolName, "Administers a RegistryCloud registry and its Distribution config.yml.")
        {
            new HelpOption(),
            ValidateCommand.Create(console),
            ConfigCommand.Create(console),
            HtpasswdCommand.Create(console),
            ReposCommand.Create(console),
            GcCommand.Create(console),
            ScrubCommand.Create(console),
        };

        var parsed = root.Parse(args);
        if (parsed.Action is not HelpAction && parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.WriteError(error.Message);
            }

            var path = parsed.CommandResult.Command == root ? ToolName : $"{ToolName} {parsed.CommandResult.Command.Name}";
            console.Error.WriteLine($"Run '{path} --help' for usage.");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever GuardAsync did not expect is still one line at a prompt, never a stack trace.
            console.WriteError($"unexpected {exception.GetType().Name}: {exception.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Runs a verb's body, turning the refusals it can meet into exit code 1 and an <c>error:</c> line.</summary>
    public static async Task<int> GuardAsync(AdminConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RegistryCloud.Configuration.RegistryConfigurationException exception)
        {
            foreach (var problem in exception.Problems)
            {
                console.WriteError(problem);
            }

            return ExitCodes.Failure;
        }
        catch (AdminException exception)
        {
            console.WriteError(exception.Message);
            return ExitCodes.Failure;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The runtime's messages name the path; the stack trace helps nobody at a prompt.
            console.WriteError(exception.Message);
            return ExitCodes.Failure;
        }
    }
}

/// <summary>The process exit codes every verb answers with.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}

namespace RegistryCloud.EndToEnd.Tests.Infrastructure;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command, its exit code and everything it printed unless it exited 0.</summary>
    public ProcessResult EnsureSuccess(string purpose)
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException($"{purpose} failed.{Environment.NewLine}{this}");
        }

        return this;
    }

    public override string ToString() =>
        $"$ {CommandLine}{Environment.NewLine}exit code: {ExitCode}{Environment.NewLine}" +
        $"stdout:{Environment.NewLine}{StandardOutput.TrimEnd()}{Environment.NewLine}" +
        $"stderr:{Environment.NewLine}{StandardError.TrimEnd()}";
}

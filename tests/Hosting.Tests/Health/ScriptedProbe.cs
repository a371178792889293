using RegistryCloud.Hosting.Health;

namespace RegistryCloud.Hosting.Tests.Health;

/// <summary>A probe that answers from a script (null = healthy) and counts its runs.</summary>
internal sealed class ScriptedProbe(params string?[] answers) : IHealthProbe
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        var run = Interlocked.Increment(ref _runs) - 1;
        return Task.FromResult(answers.Length == 0 ? null : answers[Math.Min(run, answers.Length - 1)]);
    }
}

using System.Globalization;

namespace RegistryCloud.Resilience.Tests.Infrastructure;

/// <summary>
/// How long the time-bounded scenarios run: short in CI, longer when a developer asks for it with
/// <c>REGISTRYCLOUD_RESILIENCE_SECONDS</c> (see tests/Resilience/README.md).
/// </summary>
public static class ResilienceSettings
{
    public const string SecondsVariable = "REGISTRYCLOUD_RESILIENCE_SECONDS";
    public const string SummaryVariable = "REGISTRYCLOUD_RESILIENCE_SUMMARY";

    /// <summary>How long the load scenario runs; the slow-client scenario runs half of it.</summary>
    public static TimeSpan Duration { get; } = TimeSpan.FromSeconds(Read(SecondsVariable, 20));

    /// <summary>Where the summary table goes: the variable's path, else TestResults/ beside the test assembly.</summary>
    public static string SummaryPath =>
        Environment.GetEnvironmentVariable(SummaryVariable) is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "resilience-summary.md");

    private static int Read(string variable, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{variable}: '{text}' is not a whole number of seconds.");
    }
}

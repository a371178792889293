using System.Globalization;

namespace RegistryCloud.Fuzz.Tests.Infrastructure;

/// <summary>
/// How long a run is and where it starts. CI runs the defaults, the same requests every time;
/// <c>REGISTRYCLOUD_FUZZ_SEED</c> picks another sequence (every run prints its seed, so a failure
/// replays with it), <c>REGISTRYCLOUD_FUZZ_REQUESTS</c> a longer run, and
/// <c>REGISTRYCLOUD_FUZZ_REPLAY</c> one request by the CsCheck seed a violation report names.
/// </summary>
public sealed record FuzzSettings(ulong Seed, int Requests, string? Replay, TimeSpan RequestTimeout)
{
    public const string SeedVariable = "REGISTRYCLOUD_FUZZ_SEED";
    public const string RequestsVariable = "REGISTRYCLOUD_FUZZ_REQUESTS";
    public const string ReplayVariable = "REGISTRYCLOUD_FUZZ_REPLAY";

    /// <summary>The seed of CI's runs.</summary>
    public const ulong DefaultSeed = 20;

    /// <summary>Requests per CI run: enough that every generator's branches come up, few enough to stay within seconds.</summary>
    public const int DefaultRequests = 1000;

    public static FuzzSettings FromEnvironment() => new(
        Read(SeedVariable, DefaultSeed, text => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : null),
        (int)Read(RequestsVariable, DefaultRequests, text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? (ulong)count : null),
        Environment.GetEnvironmentVariable(ReplayVariable) is { Length: > 0 } replay ? replay : null,
        // Generous: the machine is shared, and the largest generated bodies are megabytes.
        TimeSpan.FromSeconds(20));

    private static ulong Read(string variable, ulong fallback, Func<string, ulong?> parse) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? parse(text) ?? throw new InvalidOperationException($"{variable}: '{text}' is not a positive whole number.")
            : fallback;
}

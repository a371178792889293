using System.Globalization;
using RegistryCloud.Configuration;
using RegistryCloud.Storage;

namespace RegistryCloud.Hosting.Health;

/// <summary>
/// The checks <c>health</c> configures for this service, named as Distribution names them
/// (<c>storagedriver_&lt;driver&gt;</c>, the file path, the URI, the address). The storage
/// driver check exists only in a service that has a storage driver: that is how BlobService
/// and ManifestService opt in and the gateway and NotifierService stay out.
/// </summary>
public sealed class RegistryHealthChecks : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    public RegistryHealthChecks(RegistryConfiguration configuration, IStorageDriver? driver, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var health = configuration.Health;
        var checks = new List<PeriodicHealthCheck>();
        if (health.StorageDriver.Enabled && driver is not null)
        {
            checks.Add(new PeriodicHealthCheck(
                StorageDriverName(configuration), new StorageDriverHealthProbe(driver), health.StorageDriver.Interval, health.StorageDriver.Threshold));
        }

        foreach (var file in health.File)
        {
            checks.Add(new PeriodicHealthCheck(file.File, new FileHealthProbe(file.File), file.Interval, file.Threshold));
        }

        foreach (var check in health.Http)
        {
            var probe = new HttpHealthProbe(_http, new Uri(check.Uri), check.Headers, check.StatusCode, Timeout(check.Timeout, check.Interval), time);
            checks.Add(new PeriodicHealthCheck(check.Uri, probe, check.Interval, check.Threshold));
        }

        foreach (var check in health.Tcp)
        {
            var (host, port) = SplitAddress(check.Addr);
            var probe = new TcpHealthProbe(host, port, Timeout(check.Timeout, check.Interval), time);
            checks.Add(new PeriodicHealthCheck(check.Addr, probe, check.Interval, check.Threshold));
        }

        Checks = Unique(checks);
    }

    /// <summary>Checks given directly, for tests of what runs them.</summary>
    internal RegistryHealthChecks(IReadOnlyList<PeriodicHealthCheck> checks) => Checks = checks;

    public IReadOnlyList<PeriodicHealthCheck> Checks { get; }

    public PeriodicHealthCheck? Find(string name) => Checks.FirstOrDefault(check => check.Name == name);

    public void Dispose() => _http.Dispose();

    internal static string StorageDriverName(RegistryConfiguration configuration) => "storagedriver_" + configuration.Storage.Driver;

    /// <summary>The names <see cref="Checks"/> will carry, known before any service exists.</summary>
    internal static IReadOnlyList<string> ConfiguredNames(RegistryConfiguration configuration, bool withStorageDriver)
    {
        var health = configuration.Health;
        var names = new List<string>();
        if (health.StorageDriver.Enabled && withStorageDriver)
        {
            names.Add(StorageDriverName(configuration));
        }

        names.AddRange(health.File.Select(check => check.File));
        names.AddRange(health.Http.Select(check => check.Uri));
        names.AddRange(health.Tcp.Select(check => check.Addr));
        return UniqueNames(names);
    }

    // Distribution leaves both timeouts unbounded when unset; a probe that outlives its
    // interval would only pile up behind the next one, so the interval bounds it.
    private static TimeSpan Timeout(TimeSpan? configured, TimeSpan interval) =>
        configured is { } timeout && timeout > TimeSpan.Zero ? timeout : interval;

    // The reader has checked the form; an empty host means this machine, as Go's dialer takes it.
    private static (string Host, int Port) SplitAddress(string addr)
    {
        HostPort.TryParse(addr, out var address, out _);
        return (string.IsNullOrEmpty(address.Host) ? "localhost" : address.Host, address.Port);
    }

    // The same file or URI listed twice would collide in the health check service.
    private static List<PeriodicHealthCheck> Unique(List<PeriodicHealthCheck> checks)
    {
        var names = UniqueNames([.. checks.Select(check => check.Name)]);
        return [.. checks.Select((check, i) => names[i] == check.Name
            ? check
            : new PeriodicHealthCheck(names[i], check.Probe, check.Interval, check.Threshold))];
    }

    private static List<string> UniqueNames(List<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>(names.Count);
        foreach (var name in names)
        {
            var unique = name;
            for (var n = 2; !seen.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{name}#{n}");
            }

            result.Add(unique);
        }

        return result;
    }
}

namespace RegistryCloud.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway with <c>ratelimit.perclient</c> of <see cref="Requests"/> an hour, set by variables: in
/// process every request comes from one client, so the bucket drains within a test and never refills.
/// </summary>
public sealed class ClientRateLimitedGateway : GatewayFixture
{
    public const int Requests = 3;

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("REGISTRY_RATELIMIT_PERCLIENT_REQUESTS", Requests.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("REGISTRY_RATELIMIT_PERCLIENT_PERIOD", "1h");
    }
}

/// <summary>The gateway with <c>auth.htpasswd</c> (alice, bob) and <c>ratelimit.peruser</c> of two requests an hour.</summary>
public sealed class UserRateLimitedGateway : GatewayFixture
{
    public const string Password = "rate limited password";

    private protected override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        var path = Path.Combine(Files.Path, "htpasswd");
        File.WriteAllLines(path, [Htpasswd.Bcrypt("alice", Password), Htpasswd.Bcrypt("bob", Password), Htpasswd.Bcrypt("carol", Password)]);
        yield return new(GatewaySettings.HtpasswdRealm, "limits");
        yield return new(GatewaySettings.HtpasswdPath, path);
        yield return new("REGISTRY_RATELIMIT_PERUSER_REQUESTS", "2");
        yield return new("REGISTRY_RATELIMIT_PERUSER_PERIOD", "1h");
    }
}

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace RegistryCloud.Configuration;

/// <summary>
/// Writes the effective configuration back as <c>config.yml</c> YAML, for start-up logs and
/// support: every value, defaults included, with <c>http.secret</c>, <c>redis.password</c>,
/// <c>proxy.password</c>, <c>proxies[i].password</c> and the values of credential headers (Authorization, cookies, API keys
/// and tokens) replaced by <see cref="Mask"/>, as are the object-storage credentials (s3's
/// <c>accesskey</c> and <c>secretkey</c>; azure's <c>accountkey</c>, <c>connectionstring</c>,
/// <c>credentials.secret</c> and a SAS in <c>serviceurl</c>).
/// </summary>
internal static partial class RegistryConfigurationWriter
{
    public const string Mask = "*****";

    // Header names that carry credentials: Authorization and Proxy-Authorization, Cookie, and the
    // custom ones webhook receivers use (X-Api-Key, X-Auth-Token, X-Hub-Secret, ...).
    private static readonly string[] SecretHeaderParts = ["authorization", "cookie", "key", "token", "secret", "password", "signature"];

    public static string ToMaskedYaml(RegistryConfiguration configuration)
    {
        var root = Map(
            ("version", Text(configuration.Version)),
            ("log", Log(configuration.Log)),
            ("storage", Storage(configuration.Storage)),
            ("http", Http(configuration.Http)),
            ("auth", Auth(configuration.Auth)),
            ("tokenservice", configuration.TokenService is { } tokenService ? TokenService(tokenService) : null),
            ("accesscontrol", configuration.AccessControl is { } accessControl ? AccessControl(accessControl) : null),
            ("ratelimit", Map(
                ("perclient", RateLimit(configuration.RateLimit.PerClient)),
                ("peruser", RateLimit(configuration.RateLimit.PerUser)),
                ("trustedproxies", List([.. configuration.RateLimit.TrustedProxies.Select(network => network.ToString())])))),
            ("gc", Map(
                ("enabled", Flag(configuration.Gc.Enabled)),
                ("interval", Duration(configuration.Gc.Interval)),
                ("delay", Duration(configuration.Gc.Delay)),
                ("deleteuntagged", Flag(configuration.Gc.DeleteUntagged)),
                ("dryrun", Flag(configuration.Gc.DryRun)),
                ("dutycycle", Number(configuration.Gc.DutyCycle)))),
            ("scrub", Map(
                ("enabled", Flag(configuration.Scrub.Enabled)),
                ("interval", Duration(configuration.Scrub.Interval)),
                ("ratelimit", new YamlScalarNode(configuration.Scrub.RateLimit.ToString(CultureInfo.InvariantCulture))))),
            ("policies", Policies(configuration.Policies)),
            ("redis", configuration.Redis is { } redis ? Redis(redis) : null),
            ("notifications", Notifications(configuration.Notifications)),
            ("health", Health(configuration.Health)),
            ("validation", Validation(configuration.Validation)),
            ("proxy", configuration.Proxy is { } proxy ? Proxy(proxy) : null),
            ("proxies", Sequence(configuration.Proxies, rule => Map(
                ("prefix", Text(rule.Prefix)),
                ("remoteurl", Text(rule.RemoteUrl)),
                ("username", Text(rule.Username)),
                ("password", rule.Password is null ? null : Text(Mask)),
                ("ttl", Duration(rule.Ttl)),
                ("library", Flag(rule.Library))))),
            ("catalog", Map(("maxentries", Number(configuration.CatalogMaxEntries)))),
            ("tags", Map(("maxtags", Number(configuration.TagsMaxTags)))),
            ("manifests", Map(("maxsize", Number(configuration.ManifestsMaxSize)))));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // The emitter closes the document with "..."; a config.yml does not have one.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlMappingNode Log(LogConfiguration log) => Map(
        ("level", Text(log.Level.ToString().ToLowerInvariant())),
        ("formatter", Text(log.Formatter.ToString().ToLowerInvariant())),
        ("fields", Map([.. log.Fields.Select(field => (field.Key, (YamlNode?)Text(field.Value)))])),
        ("accesslog", Map(("disabled", Flag(log.AccessLogDisabled)))));

    private static YamlMappingNode Http(HttpConfiguration http) => Map(
        ("addr", Text(http.Addr)),
        ("net", Text(http.Net)),
        ("host", Text(http.Host)),
        ("prefix", Text(http.Prefix)),
        ("secret", http.Secret is null ? null : Text(Mask)),
        ("relativeurls", Flag(http.RelativeUrls)),
        ("draintimeout", Duration(http.DrainTimeout)),
        ("headers", Headers(http.Headers)),
        ("debug", http.Debug is not { } debug ? null : Map(
            ("addr", Text(debug.Addr)),
            ("prometheus", Map(("enabled", Flag(debug.PrometheusEnabled)), ("path", Text(debug.PrometheusPath)))))),
        ("tls", http.Tls is not { } tls ? null : Map(
            ("certificate", Text(tls.Certificate)),
            ("key", Text(tls.Key)),
            ("clientcas", List(tls.ClientCas)),
            ("clientauth", Text(tls.ClientAuth)),
            ("minimumtls", Text(tls.MinimumTls)),
            ("ciphersuites", List(tls.CipherSuites)))),
        ("http2", Map(("disabled", Flag(http.Http2Disabled)))),
        ("h2c", Map(("enabled", Flag(http.H2cEnabled)))));

    private static YamlMappingNode? Auth(AuthConfiguration auth) => auth.Kind switch
    {
        AuthKind.Htpasswd => Map(("htpasswd", Map(("realm", Text(auth.Htpasswd!.Realm)), ("path", Text(auth.Htpasswd.Path))))),
        AuthKind.Token => Map(("token", Map(
            ("realm", Text(auth.Token!.Realm)),
            ("service", Text(auth.Token.Service)),
            ("issuer", Text(auth.Token.Issuer)),
            ("rootcertbundle", Text(auth.Token.RootCertBundle)),
            ("jwks", Text(auth.Token.Jwks)),
            ("autoredirect", Flag(auth.Token.AutoRedirect)),
            ("autoredirectpath", Text(auth.Token.AutoRedirectPath)),
            ("signingalgorithms", List(auth.Token.SigningAlgorithms))))),
        AuthKind.Silly => Map(("silly", Map(("realm", Text(auth.Silly!.Realm)), ("service", Text(auth.Silly.Service))))),
        _ => null,
    };

    // The key and htpasswd are paths; the secrets are in the files, which are not read here.
    private static YamlMappingNode TokenService(TokenServiceConfiguration tokenService) => Map(
        ("htpasswd", Text(tokenService.Htpasswd)),
        ("key", Text(tokenService.Key)),
        ("certificate", Text(tokenService.Certificate)),
        ("expiration", Duration(tokenService.Expiration)));

    private static YamlMappingNode AccessControl(AccessControlConfiguration accessControl) => Map(
        // An empty group is written as [], not dropped: a rule may still name it.
        ("groups", Map([.. accessControl.Groups.Select(group => (group.Key,
            (YamlNode?)new YamlSequenceNode(group.Value.Select(user => (YamlNode)new YamlScalarNode(user)))))])),
        ("rules", Sequence(accessControl.Rules, rule => Map(
            rule.Kind switch
            {
                AccessSubjectKind.User => ("user", Text(rule.Subject)),
                AccessSubjectKind.Group => ("group", Text(rule.Subject)),
                _ => ("anonymous", Flag(true)),
            },
            ("repository", Text(rule.Repository)),
            ("actions", List(rule.Actions))))));

    private static YamlMappingNode Policies(PoliciesConfiguration policies) => Map(
        ("immutabletags", Sequence(policies.ImmutableTags, rule => Map(("repository", Text(rule.Repository)), ("tags", List(rule.Tags))))),
        ("retention", Sequence(policies.Retention, rule => Map(
            ("repository", Text(rule.Repository)),
            ("keeplast", Number(rule.KeepLast)),
            ("keeptags", List(rule.KeepTags)),
            ("olderthan", Duration(rule.OlderThan)),
            ("keeppulledwithin", Duration(rule.KeepPulledWithin))))),
        ("quotas", Sequence(policies.Quotas, rule => Map(
            ("repository", Text(rule.Repository)),
            ("bytes", new YamlScalarNode(rule.Bytes.ToString(CultureInfo.InvariantCulture)))))));

    private static YamlMappingNode? RateLimit(RateLimitRule? rule) => rule is null ? null : Map(
        ("requests", Number(rule.Requests)),
        ("period", Duration(rule.Period)),
        ("burst", Number(rule.Burst)));

    private static YamlMappingNode Redis(RedisConfiguration redis) => Map(
        ("addrs", List(redis.Addrs)),
        ("username", Text(redis.Username)),
        ("password", redis.Password is null ? null : Text(Mask)),
        ("mastername", Text(redis.MasterName)),
        ("db", Number(redis.Db)),
        ("dialtimeout", Duration(redis.DialTimeout)),
        ("readtimeout", Duration(redis.ReadTimeout)),
        ("writetimeout", Duration(redis.WriteTimeout)),
        ("maxidleconns", Number(redis.MaxIdleConns)),
        ("poolsize", Number(redis.PoolSize)),
        ("connmaxidletime", Duration(redis.ConnMaxIdleTime)),
        ("tls", Map(
            ("enabled", Flag(redis.Tls.Enabled)),
            ("certificate", Text(redis.Tls.Certificate)),
            ("key", Text(redis.Tls.Key)),
            ("rootcas", List(redis.Tls.RootCas)))));

    private static YamlMappingNode Notifications(NotificationsConfiguration notifications) => Map(
        ("events", Map(("includereferences", Flag(notifications.IncludeReferences)))),
        ("endpoints", notifications.Endpoints.Count == 0 ? null : new YamlSequenceNode(notifications.Endpoints.Select(endpoint => Map(
            ("name", Text(endpoint.Name)),
            ("url", Text(endpoint.Url)),
            ("headers", Headers(endpoint.Headers)),
            ("timeout", Duration(endpoint.Timeout)),
            ("threshold", Number(endpoint.Threshold)),
            ("backoff", Duration(endpoint.Backoff)),
            ("ignoredmediatypes", List(endpoint.IgnoredMediaTypes)),
            ("ignore", Map(("mediatypes", List(endpoint.IgnoreMediaTypes)), ("actions", List(endpoint.IgnoreActions)))),
            ("disabled", Flag(endpoint.Disabled)))))));

    private static YamlMappingNode Health(HealthConfiguration health) => Map(
        ("storagedriver", Map(
            ("enabled", Flag(health.StorageDriver.Enabled)),
            ("interval", Duration(health.StorageDriver.Interval)),
            ("threshold", Number(health.StorageDriver.Threshold)))),
        ("file", Sequence(health.File, check => Map(
            ("file", Text(check.File)), ("interval", Duration(check.Interval)), ("threshold", Number(check.Threshold))))),
        ("http", Sequence(health.Http, check => Map(
            ("uri", Text(check.Uri)),
            ("headers", Headers(check.Headers)),
            ("statuscode", Number(check.StatusCode)),
            ("timeout", Duration(check.Timeout)),
            ("interval", Duration(check.Interval)),
            ("threshold", Number(check.Threshold))))),
        ("tcp", Sequence(health.Tcp, check => Map(
            ("addr", Text(check.Addr)),
            ("timeout", Duration(check.Timeout)),
            ("interval", Duration(check.Interval)),
            ("threshold", Number(check.Threshold))))));

    private static YamlMappingNode Validation(ValidationConfiguration validation) => Map(
        ("disabled", Flag(validation.Disabled)),
        ("manifests", Map(
            ("urls", Map(("allow", List(validation.ManifestUrlsAllow)), ("deny", List(validation.ManifestUrlsDeny)))),
            ("indexes", Map(
                ("platforms", Text(validation.IndexPlatforms)),
                ("platformlist", Sequence(validation.IndexPlatformList, platform => Map(
                    ("architecture", Text(platform.Architecture)), ("os", Text(platform.Os))))))))));

    private static YamlMappingNode Proxy(ProxyConfiguration proxy) => Map(
        ("remoteurl", Text(proxy.RemoteUrl)),
        ("username", Text(proxy.Username)),
        ("password", proxy.Password is null ? null : Text(Mask)),
        ("ttl", Duration(proxy.Ttl)),
        ("exec", proxy.ExecCommand is null ? null : Map(("command", Text(proxy.ExecCommand)), ("lifetime", Duration(proxy.ExecLifetime)))),
        ("cachewritetimeout", Duration(proxy.CacheWriteTimeout)));

    private static YamlMappingNode? Headers(IReadOnlyDictionary<string, IReadOnlyList<string>> headers) =>
        headers.Count == 0 ? null : Map([.. headers.Select(header => (header.Key, (YamlNode?)List(
            IsSecretHeader(header.Key) ? [.. header.Value.Select(_ => Mask)] : header.Value)))]);

    private static bool IsSecretHeader(string name) =>
        SecretHeaderParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    // Unset settings and empty sections are left out, so they do not clutter the output.
    private static YamlMappingNode Map(params (string Key, YamlNode? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            if (value is not null and not YamlMappingNode { Children.Count: 0 })
            {
                map.Add(key, value);
            }
        }

        return map;
    }

    private static YamlSequenceNode? Sequence<T>(IReadOnlyList<T> items, Func<T, YamlNode> write) =>
        items.Count == 0 ? null : new YamlSequenceNode(items.Select(write));

    private static YamlSequenceNode? List(IReadOnlyList<string> values) =>
        values.Count == 0 ? null : new YamlSequenceNode(values.Select(value => (YamlNode)new YamlScalarNode(value)));

    private static YamlScalarNode? Text(string? value) => value is null ? null : new YamlScalarNode(value);

    private static YamlScalarNode Flag(bool value) => new(value ? "true" : "false");

    private static YamlScalarNode? Number(int? value) => value is { } number ? new(number.ToString(CultureInfo.InvariantCulture)) : null;

    private static YamlScalarNode? Duration(TimeSpan? value) => value is { } duration ? new(GoDuration.Format(duration)) : null;
}

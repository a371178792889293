using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RegistryCloud.WebConsole.Registry;
using RegistryCloud.WebConsole.Security;
using StackExchange.Redis;

namespace RegistryCloud.WebConsole.Extensions;

internal static class WebConsoleExtensions
{
    /// <summary>Where the gateway routes the console (Gateway's <c>/console/{**rest}</c> route); every link is below it.</summary>
    public const string PathBase = "/console";

    public const string LoginRateLimit = "login";
    public const string RegistryClientName = "registry";

    public static WebApplicationBuilder AddWebConsoleServices(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(WebConsoleOptions.Section).Get<WebConsoleOptions>() ?? new WebConsoleOptions();
        if (options.Registry is not { IsAbsoluteUri: true })
        {
            throw new InvalidOperationException($"{WebConsoleOptions.Section}:Registry: the gateway's address (http://host:port) is required.");
        }

        if (options.LoginAttemptsPerMinute < 1)
        {
            throw new InvalidOperationException($"{WebConsoleOptions.Section}:LoginAttemptsPerMinute: '{options.LoginAttemptsPerMinute}' must be 1 or more.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddSharedState();
        builder.Services.AddHttpClient(RegistryClientName, http =>
        {
            http.BaseAddress = options.Registry;
            http.DefaultRequestHeaders.UserAgent.ParseAdd("RegistryCloud-WebConsole");
        }).ConfigurePrimaryHttpMessageHandler(() => RegistryTrust.Handler(options));
        builder.Services.AddHttpClient(nameof(WebConsoleOptions.Notifier), http => http.BaseAddress = options.Notifier);
        builder.Services.AddHttpClient(nameof(WebConsoleOptions.Blobs), http => http.BaseAddress = options.Blobs);
        builder.Services.AddScoped(services =>
        {
            var context = services.GetRequiredService<IHttpContextAccessor>().HttpContext!;
            var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(RegistryClientName);
            return new RegistryClient(http, SessionClaims.Credentials(context.User));
        });
        builder.Services.AddScoped<RepositoryBrowser>();
        builder.Services.AddHttpContextAccessor();

        builder.Services.AddSingleton<SessionTicketStore>();
        builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, SessionStoreSetup>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "registrycloud-console";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the browser came over TLS (the gateway forwards the scheme).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = WebConsoleOptions.SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/logout";
            cookie.AccessDeniedPath = "/login";
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "registrycloud-console-csrf";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.LoginAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("read"));
        });
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Only the gateway reaches the console (its own port is not published): the address,
            // scheme and host it forwards are the browser's.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            forwarded.ForwardLimit = 1;
        });
        builder.Services.AddRazorPages(pages => pages.Conventions.ConfigureFilter(new Microsoft.AspNetCore.Mvc.AutoValidateAntiforgeryTokenAttribute()));
        return builder;
    }

    public static WebApplication MapWebConsole(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UsePathBase(PathBase);
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Data Protection keys and sessions: in Redis when <c>ConnectionStrings:redis</c> is set, so
    /// every replica reads every cookie and session; otherwise in this process (one replica).
    /// </summary>
    private static void AddSharedState(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("RegistryCloud.WebConsole");
        var redis = builder.Configuration.GetConnectionString("redis");
        if (string.IsNullOrEmpty(redis))
        {
            builder.Services.AddDistributedMemoryCache();
            return;
        }

        var configuration = ConfigurationOptions.Parse(redis);
        configuration.AbortOnConnectFail = false;
        // Distribution's variable, as the services read it (deploy's redis-password component sets it).
        if (builder.Configuration["REGISTRY_REDIS_PASSWORD"] is { Length: > 0 } password)
        {
            configuration.Password = password;
        }

        var connection = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(configuration));
        dataProtection.PersistKeysToStackExchangeRedis(() => connection.Value.GetDatabase(), "registrycloud:console:dataprotection-keys");
        builder.Services.AddStackExchangeRedisCache(cache => cache.ConnectionMultiplexerFactory = () => Task.FromResult(connection.Value));
    }
}

/// <summary>The service's ActivitySource and Meter name.</summary>
internal static class WebConsoleTelemetry
{
    public const string Name = "RegistryCloud.WebConsole";
}

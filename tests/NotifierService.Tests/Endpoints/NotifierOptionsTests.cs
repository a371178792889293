using Microsoft.Extensions.Configuration;
using RegistryCloud.Configuration;
using RegistryCloud.NotifierService.Endpoints;

namespace RegistryCloud.NotifierService.Tests.Endpoints;

public sealed class NotifierOptionsTests
{
    private static readonly NotificationsConfiguration Notifications = new()
    {
        Endpoints =
        [
            new NotificationEndpointConfiguration
            {
                Name = "hook",
                Url = "https://user:pw@hooks.example.com/registry?token=x",
                IgnoredMediaTypes = ["application/octet-stream"],
                IgnoreMediaTypes = ["application/vnd.oci.image.config.v1+json"],
                IgnoreActions = ["pull"],
            },
            new NotificationEndpointConfiguration { Name = "off", Url = "http://127.0.0.1:9/", Disabled = true, Threshold = 0, Timeout = TimeSpan.Zero },
        ],
    };

    [Fact]
    public void Settings_are_read_with_Distribution_style_durations()
    {
        var options = NotifierOptions.From(Configuration(new() { ["Notifier:MaxAge"] = "90m", ["Notifier:MaxAttempts"] = "5", ["Notifier:BatchSize"] = "10" }), Notifications);

        Assert.Equal(TimeSpan.FromMinutes(90), options.MaxAge);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(10, options.BatchSize);
    }

    [Fact]
    public void Defaults_wait_out_long_outages()
    {
        var options = NotifierOptions.From(Configuration([]), Notifications);

        Assert.Equal(0, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxAge);
        Assert.Equal(1, options.BatchSize);
    }

    [Theory]
    [InlineData("Notifier:LeaseTime", "soon", "Notifier:LeaseTime")]
    [InlineData("Notifier:PollInterval", "0s", "Notifier:PollInterval")]
    [InlineData("Notifier:BatchSize", "0", "Notifier:BatchSize")]
    [InlineData("Notifier:Endpoints:nobody:Secret", "x", "Notifier:Endpoints:nobody")]
    public void A_bad_setting_stops_start_up_naming_its_key(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => NotifierOptions.From(Configuration(new() { [key] = value }), Notifications));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_ignore_lists_and_the_ignored_actions_filter_events()
    {
        var hook = NotifierOptions.From(Configuration([]), Notifications).Find("hook")!;

        Assert.True(hook.Ignores("push", "application/octet-stream"));
        Assert.True(hook.Ignores("push", "application/vnd.oci.image.config.v1+json"));
        Assert.True(hook.Ignores("pull", "application/vnd.oci.image.manifest.v1+json"));
        Assert.False(hook.Ignores("push", "application/vnd.oci.image.manifest.v1+json"));
        Assert.False(hook.Ignores("delete", ""));
    }

    [Fact]
    public void Zero_values_take_Distributions_defaults_and_secrets_come_from_the_notifier_section()
    {
        var options = NotifierOptions.From(Configuration(new() { ["Notifier:Endpoints:hook:Secret"] = "s3cret" }), Notifications);

        var off = options.Find("off")!;
        Assert.Equal(10, off.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(1), off.Timeout);
        Assert.Equal("s3cret", options.Find("hook")!.Secret);
        Assert.Null(off.Secret);
        Assert.Equal(["hook"], options.Enabled.Select(endpoint => endpoint.Name));
    }

    [Fact]
    public void The_url_shown_to_operators_has_no_credentials_or_query()
    {
        var hook = NotifierOptions.From(Configuration([]), Notifications).Find("hook")!;

        Assert.Equal("https://hooks.example.com/registry", hook.DisplayUrl);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}

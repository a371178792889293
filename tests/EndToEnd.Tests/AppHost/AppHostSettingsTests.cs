using RegistryCloud.AppHost;

namespace RegistryCloud.EndToEnd.Tests.AppHost;

/// <summary>The AppHost's own settings that are read before any resource starts.</summary>
public sealed class AppHostSettingsTests
{
    [Fact]
    public void The_dashboard_is_on_unless_turned_off()
    {
        Assert.True(AppHostSettings.ReadDashboard([]));
        Assert.True(AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard=true"]));
        Assert.False(AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard=false"]));
        Assert.False(AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard", "False"]));
    }

    [Fact]
    public void A_dashboard_setting_that_is_not_a_boolean_is_refused_naming_the_key()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => AppHostSettings.ReadDashboard(["--RegistryCloud:Dashboard=maybe"]));

        Assert.Equal("RegistryCloud:Dashboard: 'maybe' is not true or false.", refused.Message);
    }
}

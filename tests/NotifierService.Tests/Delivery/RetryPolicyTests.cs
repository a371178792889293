using RegistryCloud.NotifierService.Delivery;

namespace RegistryCloud.NotifierService.Tests.Delivery;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(Threshold: 3, Backoff: TimeSpan.FromSeconds(1), MaxBackoff: TimeSpan.FromSeconds(5));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Failures_below_the_threshold_are_retried_at_once(int failures)
    {
        Assert.Equal(TimeSpan.Zero, Policy.DelayAfter(failures));
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    public void From_the_threshold_on_the_backoff_doubles_with_each_failure(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Policy.DelayAfter(failures));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(500)]
    public void The_backoff_never_exceeds_the_cap(int failures)
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Policy.DelayAfter(failures));
    }

    [Fact]
    public void A_cap_below_the_backoff_leaves_the_backoff_as_it_is()
    {
        var policy = new RetryPolicy(1, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayAfter(4));
    }
}

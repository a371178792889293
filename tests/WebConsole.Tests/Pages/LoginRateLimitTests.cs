using System.Net;

namespace RegistryCloud.WebConsole.Tests.Pages;

/// <summary>The console's sign-in form is limited per client address, as the gateway limits the API's credentials.</summary>
public sealed class LoginRateLimitTests(RateLimitedConsoleFactory factory) : IClassFixture<RateLimitedConsoleFactory>
{
    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client()
    {
        using var client = factory.Browser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= factory.LoginAttemptsPerMinute; i++)
        {
            using var response = await ConsolePagesTests.SignInAsync(client, "alice", "wrong");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}

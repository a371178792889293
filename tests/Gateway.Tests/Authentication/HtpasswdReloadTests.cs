using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RegistryCloud.Gateway.Tests.Infrastructure;
using RegistryCloud.Tests.Shared;

namespace RegistryCloud.Gateway.Tests.Authentication;

/// <summary>The running gateway picks up an edited htpasswd file, on the clock it is given.</summary>
public sealed class HtpasswdReloadTests
{
    [Fact]
    public async Task A_user_added_to_the_file_can_log_in_once_the_file_is_checked_again()
    {
        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "htpasswd");
        File.WriteAllLines(path, [Htpasswd.Bcrypt("alice", "hers")]);
        var time = new FakeTimeProvider();
        await using var factory = new GatewayFactory(
            new Dictionary<string, string>
            {
                [GatewaySettings.HtpasswdRealm] = "reload",
                [GatewaySettings.HtpasswdPath] = path,
            },
            configureServices: services => services.AddSingleton<TimeProvider>(time));
        using var client = factory.CreateRegistryClient();
        var carol = Htpasswd.Basic("carol", "new here");
        using (var before = await client.GetAsync("/v2/", request => request.Headers.Authorization = carol))
        {
            await OciAssert.ErrorAsync(before, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        Htpasswd.Rewrite(path, Htpasswd.Bcrypt("alice", "hers"), Htpasswd.Bcrypt("carol", "new here"));
        time.Advance(TimeSpan.FromSeconds(1));
        using var after = await client.GetAsync("/v2/", request => request.Headers.Authorization = carol);

        await OciAssert.StatusAsync(after, HttpStatusCode.OK);
    }
}

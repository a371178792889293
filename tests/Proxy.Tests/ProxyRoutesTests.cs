using RegistryCloud.Configuration;

namespace RegistryCloud.Proxy.Tests;

public sealed class ProxyRoutesTests
{
    private static readonly ProxyRoutes Prefixed = new(new RegistryConfiguration
    {
        Version = RegistryConfiguration.SupportedVersion,
        Proxies =
        [
            new ProxyRule { Prefix = "dockerhub", RemoteUrl = "https://registry-1.docker.io", Library = true },
            new ProxyRule { Prefix = "mirrors/ghcr", RemoteUrl = "https://ghcr.io/" },
        ],
    });

    [Theory]
    [InlineData("dockerhub/nginx", "https://registry-1.docker.io/", "library/nginx")]
    [InlineData("dockerhub/bitnami/redis", "https://registry-1.docker.io/", "bitnami/redis")]
    [InlineData("mirrors/ghcr/owner/app", "https://ghcr.io/", "owner/app")]
    [InlineData("mirrors/ghcr/app", "https://ghcr.io/", "app")]
    public void A_repository_under_a_prefix_mirrors_the_rest_of_its_name_upstream(string repository, string upstream, string remote)
    {
        var target = Prefixed.Resolve(repository);

        Assert.NotNull(target);
        Assert.Equal(upstream, target.Upstream.BaseUri.AbsoluteUri);
        Assert.Equal(remote, target.Repository);
    }

    [Theory]
    [InlineData("dockerhub")]
    [InlineData("dockerhubx/nginx")]
    [InlineData("mirrors/ghcrx/app")]
    [InlineData("team/app")]
    public void Other_repositories_are_ordinary(string repository) => Assert.Null(Prefixed.Resolve(repository));

    [Fact]
    public void With_proxy_every_repository_mirrors_the_same_name_upstream()
    {
        var routes = new ProxyRoutes(new RegistryConfiguration
        {
            Version = RegistryConfiguration.SupportedVersion,
            Proxy = new ProxyConfiguration { RemoteUrl = "http://127.0.0.1:5001" },
        });

        var target = routes.Resolve("library/alpine");

        Assert.True(routes.Enabled);
        Assert.Equal("library/alpine", target!.Repository);
        Assert.Equal("proxy", target.Upstream.Name);
    }
}

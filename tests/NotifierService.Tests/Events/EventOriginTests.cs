using System.Net;
using Microsoft.AspNetCore.Http;
using RegistryCloud.Events;

namespace RegistryCloud.NotifierService.Tests.Events;

/// <summary>The request, actor and source records, read from a request the gateway forwarded.</summary>
public sealed class EventOriginTests
{
    [Fact]
    public void Behind_the_gateway_the_first_forwarded_hop_host_and_scheme_are_used()
    {
        var context = Request();
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7, 10.0.0.2";
        context.Request.Headers["X-Forwarded-Host"] = "registry.example.com";
        context.Request.Headers["X-Forwarded-Proto"] = "https";

        var origin = EventOrigin.From(context, "instance-1", new RegistryEventsOptions());

        Assert.Equal("203.0.113.7", origin.Request.Addr);
        Assert.Equal("registry.example.com", origin.Request.Host);
        Assert.Equal("https://registry.example.com", origin.UrlBase);
    }

    [Fact]
    public void The_request_id_method_and_user_agent_are_taken_from_the_request()
    {
        var context = Request();
        context.Request.Headers["X-Request-Id"] = "abc123";

        var origin = EventOrigin.From(context, "instance-1", new RegistryEventsOptions());

        Assert.Equal("abc123", origin.Request.Id);
        Assert.Equal("PUT", origin.Request.Method);
        Assert.Equal("docker/27.0 go/go1.22", origin.Request.UserAgent);
    }

    [Fact]
    public void Without_forwarding_headers_the_peer_address_and_host_header_are_used()
    {
        var origin = EventOrigin.From(Request(), "instance-1", new RegistryEventsOptions());

        Assert.Equal("198.51.100.4:51234", origin.Request.Addr);
        Assert.Equal("blobservice:8080", origin.Request.Host);
        Assert.Equal("http://blobservice:8080", origin.UrlBase);
    }

    [Fact]
    public void The_actor_is_the_user_the_gateway_authenticated()
    {
        var anonymous = EventOrigin.From(Request(), "instance-1", new RegistryEventsOptions());
        var context = Request();
        context.Request.Headers[EventOrigin.UserHeader] = "alice";

        var authenticated = EventOrigin.From(context, "instance-1", new RegistryEventsOptions());

        Assert.Null(anonymous.Actor.Name);
        Assert.Equal("alice", authenticated.Actor.Name);
    }

    [Fact]
    public void The_source_is_this_node_and_instance()
    {
        var origin = EventOrigin.From(Request(), "instance-1", new RegistryEventsOptions());

        Assert.Equal($"{Environment.MachineName}:8080", origin.Source.Addr);
        Assert.Equal("instance-1", origin.Source.InstanceId);
    }

    [Fact]
    public void Http_host_and_relative_urls_decide_the_base_of_target_urls()
    {
        var configured = EventOrigin.From(Request(), "i", new RegistryEventsOptions { BaseUrl = new Uri("https://registry.example.com/") });
        var relative = EventOrigin.From(Request(), "i", new RegistryEventsOptions { RelativeUrls = true });

        Assert.Equal("https://registry.example.com", configured.UrlBase);
        Assert.Equal("", relative.UrlBase);
    }

    private static DefaultHttpContext Request()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "PUT";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("blobservice:8080");
        context.Request.Headers.UserAgent = "docker/27.0 go/go1.22";
        context.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.4");
        context.Connection.RemotePort = 51234;
        context.Connection.LocalPort = 8080;
        return context;
    }
}

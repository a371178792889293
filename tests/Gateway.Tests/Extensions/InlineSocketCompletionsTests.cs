using Microsoft.Extensions.DependencyInjection;
using RegistryCloud.Configuration;
using RegistryCloud.Gateway.Extensions;

namespace RegistryCloud.Gateway.Tests.Extensions;

public sealed class InlineSocketCompletionsTests
{
    [Fact]
    public void The_gateway_asks_for_inline_socket_completions_when_the_environment_is_silent()
    {
        var environment = new Dictionary<string, string>();

        InlineSocketCompletions.PreferInline(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value);

        Assert.Equal("1", environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Fact]
    public void An_operators_own_setting_is_left_alone()
    {
        var environment = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "0" };

        InlineSocketCompletions.PreferInline(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value);

        Assert.Equal("0", environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Fact]
    public void The_variable_is_one_the_runtime_reads()
    {
        // The socket engine reads the variable by name (a string literal of System.Net.Sockets,
        // stored as UTF-16): a misspelt name would be silently ignored.
        var assembly = File.ReadAllBytes(typeof(System.Net.Sockets.Socket).Assembly.Location);

        Assert.True(assembly.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(InlineSocketCompletions.Variable)) >= 0);
    }

    [Theory]
    [InlineData(StorageConfiguration.S3Driver, null, true)]
    [InlineData(StorageConfiguration.AzureDriver, null, true)]
    [InlineData(StorageConfiguration.AzureDriver, "1", true)]
    [InlineData(StorageConfiguration.FileSystemDriver, null, false)]
    [InlineData(StorageConfiguration.FileSystemDriver, "1", false)]
    [InlineData(StorageConfiguration.S3Driver, "0", false)]
    public void Kestrel_schedules_inline_on_object_storage_unless_the_operator_turned_inline_off(string driver, string? variable, bool inline)
    {
        var storage = new StorageConfiguration { Driver = driver };

        Assert.Equal(inline, InlineSocketCompletions.SchedulesInline(storage, name => name == InlineSocketCompletions.Variable ? variable : null));
    }

    [Theory]
    [InlineData(StorageConfiguration.S3Driver, true)]
    [InlineData(StorageConfiguration.FileSystemDriver, false)]
    public void The_gateways_socket_transport_gets_the_setting(string driver, bool inline)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        var registry = new RegistryConfiguration { Storage = new StorageConfiguration { Driver = driver } };

        builder.UseInlineSchedulingOnObjectStorage(registry);
        using var app = builder.Build();

        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>>().Value;
        Assert.Equal(inline && Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable) != "0", options.UnsafePreferInlineScheduling);
    }
}

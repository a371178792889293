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
}

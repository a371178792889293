using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using RegistryCloud.Configuration;

namespace RegistryCloud.Gateway.Extensions;

/// <summary>
/// The gateway runs the continuations of its outgoing sockets (YARP to the services, the storage
/// SDK's reads of a handed-off object) on the socket engine's thread instead of queueing each
/// to the thread pool. Reading a blob from S3 is a stream of small receives, and each hop to
/// the pool cost a context switch (measured in docs/performance.md, "Runtime settings"). The runtime reads the variable once, when
/// the first socket starts, so it is set before anything else; an operator's own value (<c>0</c>
/// to turn it off) is left alone.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on unless the environment already says.</summary>
    public static void PreferInline(Func<string, string?>? read = null, Action<string, string>? write = null)
    {
        if ((read ?? Environment.GetEnvironmentVariable)(Variable) is null)
        {
            (write ?? Environment.SetEnvironmentVariable)(Variable, "1");
        }
    }

    /// <summary>
    /// Whether Kestrel should also run the gateway's request handling on the socket thread
    /// (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>): on object storage,
    /// unless the operator turned inline completions off. There a pulled blob goes from the
    /// bucket's socket to the client's with nothing in between that blocks, and each piece used
    /// to cross three threads (the socket thread that read it, Kestrel's send queue, the pool
    /// thread that resumed after the flush), and the switches cost the gateway more CPU than the
    /// copies. Not on the filesystem: there the gateway reads the blob file synchronously
    /// (page-cache reads cost less than a pool round trip), and inline that read and the send
    /// would share one thread, which made pulls slower. Both measured in docs/performance.md
    /// ("Runtime settings"). Nothing else the gateway runs blocks (bcrypt checks run on the
    /// pool: <see cref="Authentication.HtpasswdFile.VerifyAsync"/>).
    /// </summary>
    public static bool SchedulesInline(StorageConfiguration storage, Func<string, string?>? read = null) =>
        storage.Driver is StorageConfiguration.S3Driver or StorageConfiguration.AzureDriver
        && (read ?? Environment.GetEnvironmentVariable)(Variable) != "0";

    public static WebApplicationBuilder UseInlineSchedulingOnObjectStorage(this WebApplicationBuilder builder, RegistryConfiguration registry)
    {
        if (SchedulesInline(registry.Storage))
        {
            builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        }

        return builder;
    }
}

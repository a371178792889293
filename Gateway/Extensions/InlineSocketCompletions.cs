namespace RegistryCloud.Gateway.Extensions;

/// <summary>
/// The gateway runs the continuations of its outgoing sockets (YARP to the services, the storage
/// SDK's reads of a handed-off object) on the socket engine's thread instead of queueing each
/// to the thread pool. Reading a blob from S3 is a stream of small receives, and each hop to
/// the pool cost a context switch: the gateway's CPU per redirect-off S3 pull fell by a third
/// with this (docs/performance.md, "Runtime settings"). Nothing the gateway runs after a socket read blocks:
/// file reads of the handoff resume from Kestrel's pipe, on the pool. The runtime reads the
/// variable once, when the first socket starts, so it is set before anything else; an operator's
/// own value (<c>0</c> to turn it off) is left alone.
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
}

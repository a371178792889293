using Azure;
using Azure.Identity;

namespace RegistryCloud.Storage.Azure;

/// <summary>
/// The driver's one translation of service failures: what the service or the credential refused
/// becomes an <see cref="IOException"/> (the storage error every caller already handles, as it
/// does the filesystem driver's), with the service's answer kept as the inner exception.
/// </summary>
internal static class AzureFailure
{
    public static bool Is(Exception e) => e is RequestFailedException or AuthenticationFailedException;

    public static IOException Wrap(Exception e, string operation, string path) => e switch
    {
        RequestFailedException failed => new IOException(
            $"Azure storage refused to {operation} '{path}': {failed.Status} {failed.ErrorCode ?? "(no error code)"}", e),
        _ => new IOException($"Azure storage could not {operation} '{path}': {e.Message}", e),
    };
}

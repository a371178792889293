using System.Globalization;
using RegistryCloud.Oci;
using RegistryCloud.Storage;

namespace RegistryCloud.Hosting;

/// <summary>
/// How BlobService hands the sending of a blob file to the gateway, as nginx's
/// <c>X-Accel-Redirect</c> does: the gateway offers it on a blob GET (<see cref="AcceptHeader"/>)
/// when it can read the storage root itself; BlobService still decides everything (who may see
/// the digest, Range, ETag, errors, the event) and answers the status and headers it would have
/// sent, with an empty body and <see cref="Header"/> naming the file and the range to send. The
/// bytes then cross one process instead of two (docs/design.md, "Blob pulls: one copy").
/// Neither header ever comes from or reaches a client: the gateway removes both.
/// </summary>
public static class BlobFileHandoff
{
    /// <summary>On a request from the gateway: it can send files of the filesystem storage itself.</summary>
    public const string AcceptHeader = "X-RegistryCloud-Accept-Blob-File";

    /// <summary>On BlobService's answer: "&lt;offset&gt; &lt;count&gt; &lt;storage path&gt;".</summary>
    public const string Header = "X-RegistryCloud-Blob-File";

    public static string Format(string storagePath, long offset, long count) =>
        string.Create(CultureInfo.InvariantCulture, $"{offset} {count} {storagePath}");

    /// <summary>
    /// Reads a handoff and checks it names exactly the data file of <paramref name="digest"/> (the
    /// digest of the request) with a sane range: nothing else under the root can be sent this way.
    /// </summary>
    public static bool TryParse(string? value, Digest digest, out string storagePath, out long offset, out long count)
    {
        storagePath = "";
        offset = count = 0;
        var parts = value?.Split(' ', 3);
        if (parts is not { Length: 3 }
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out count)
            || !string.Equals(parts[2], RegistryPaths.BlobData(digest), StringComparison.Ordinal))
        {
            return false;
        }

        storagePath = parts[2];
        return true;
    }
}

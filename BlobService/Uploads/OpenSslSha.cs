using System.Runtime.InteropServices;

namespace RegistryCloud.BlobService.Uploads;

/// <summary>
/// OpenSSL's SHA-256 and SHA-512 through their plain context structures (<c>openssl/sha.h</c>),
/// whose running state can be read and set: .NET's hash objects cannot export theirs, and an
/// upload's hash has to outlive the request and the replica that computed it. The same library
/// (and assembly) .NET's own hashing uses on Linux; where it is not found, <see cref="IsAvailable"/>
/// is false and uploads rehash stored bytes instead of resuming a saved state.
/// </summary>
internal static unsafe class OpenSslSha
{
    /// <summary><c>SHA256_CTX</c>: h[8], Nl, Nh, data[16] (32-bit words), num, md_len.</summary>
    public const int Sha256ContextSize = 112;

    /// <summary><c>SHA512_CTX</c>: h[8], Nl, Nh (64-bit words), a 128-byte block, num, md_len.</summary>
    public const int Sha512ContextSize = 216;

    private static readonly Functions? Loaded = Load();

    public static bool IsAvailable => Loaded is not null;

    public static void Init(string algorithm, Span<byte> context)
    {
        fixed (byte* c = context)
        {
            Check(algorithm == Oci.Digest.Sha256 ? Loaded!.Sha256Init(c) : Loaded!.Sha512Init(c));
        }
    }

    public static void Update(string algorithm, Span<byte> context, ReadOnlySpan<byte> data)
    {
        fixed (byte* c = context)
        fixed (byte* d = data)
        {
            Check(algorithm == Oci.Digest.Sha256
                ? Loaded!.Sha256Update(c, d, (nuint)data.Length)
                : Loaded!.Sha512Update(c, d, (nuint)data.Length));
        }
    }

    public static void Final(string algorithm, Span<byte> context, Span<byte> hash)
    {
        fixed (byte* c = context)
        fixed (byte* h = hash)
        {
            Check(algorithm == Oci.Digest.Sha256 ? Loaded!.Sha256Final(h, c) : Loaded!.Sha512Final(h, c));
        }
    }

    private static void Check(int result)
    {
        if (result != 1)
        {
            throw new System.Security.Cryptography.CryptographicException("OpenSSL SHA call failed.");
        }
    }

    private static Functions? Load()
    {
        // The context layouts are read as little-endian words below; other byte orders rehash instead.
        if (!OperatingSystem.IsLinux() || !BitConverter.IsLittleEndian)
        {
            return null;
        }

        foreach (var name in (string[])["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"])
        {
            if (NativeLibrary.TryLoad(name, out var library)
                && NativeLibrary.TryGetExport(library, "SHA256_Init", out var sha256Init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var sha256Update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var sha256Final)
                && NativeLibrary.TryGetExport(library, "SHA512_Init", out var sha512Init)
                && NativeLibrary.TryGetExport(library, "SHA512_Update", out var sha512Update)
                && NativeLibrary.TryGetExport(library, "SHA512_Final", out var sha512Final))
            {
                return new Functions(
                    (delegate* unmanaged<byte*, int>)sha256Init,
                    (delegate* unmanaged<byte*, byte*, nuint, int>)sha256Update,
                    (delegate* unmanaged<byte*, byte*, int>)sha256Final,
                    (delegate* unmanaged<byte*, int>)sha512Init,
                    (delegate* unmanaged<byte*, byte*, nuint, int>)sha512Update,
                    (delegate* unmanaged<byte*, byte*, int>)sha512Final);
            }
        }

        return null;
    }

    private sealed class Functions(
        delegate* unmanaged<byte*, int> sha256Init,
        delegate* unmanaged<byte*, byte*, nuint, int> sha256Update,
        delegate* unmanaged<byte*, byte*, int> sha256Final,
        delegate* unmanaged<byte*, int> sha512Init,
        delegate* unmanaged<byte*, byte*, nuint, int> sha512Update,
        delegate* unmanaged<byte*, byte*, int> sha512Final)
    {
        public readonly delegate* unmanaged<byte*, int> Sha256Init = sha256Init;
        public readonly delegate* unmanaged<byte*, byte*, nuint, int> Sha256Update = sha256Update;
        public readonly delegate* unmanaged<byte*, byte*, int> Sha256Final = sha256Final;
        public readonly delegate* unmanaged<byte*, int> Sha512Init = sha512Init;
        public readonly delegate* unmanaged<byte*, byte*, nuint, int> Sha512Update = sha512Update;
        public readonly delegate* unmanaged<byte*, byte*, int> Sha512Final = sha512Final;
    }
}

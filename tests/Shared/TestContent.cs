using System.Text;
using RegistryCloud.Oci;

namespace RegistryCloud.Tests.Shared;

/// <summary>Fresh repository names and blob contents, so tests sharing one service never see each other's data.</summary>
public static class TestContent
{
    public static string NewRepository(string prefix = "test") => $"{prefix}/{Guid.NewGuid():N}";

    /// <summary>Content unique to this call, of exactly <paramref name="size"/> bytes.</summary>
    public static byte[] NewBlob(int size = 64)
    {
        var seed = Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N"));
        var content = new byte[size];
        for (var i = 0; i < size; i++)
        {
            content[i] = seed[i % seed.Length];
        }

        if (size >= 4)
        {
            // Positions stay distinguishable, so an off-by-one slice cannot compare equal.
            BitConverter.TryWriteBytes(content.AsSpan(size - 4), size);
        }

        return content;
    }

    public static string DigestOf(byte[] content, string algorithm = Digest.Sha256) => Digest.Compute(content, algorithm).ToString();
}

using System.Globalization;

namespace RegistryCloud.Bench;

/// <summary>Byte counts on the command line and in tables: <c>4K</c>, <c>8M</c>, <c>1G</c> (powers of 1024).</summary>
internal static class SizeText
{
    public static long Parse(string text)
    {
        var trimmed = text.Trim();
        var shift = trimmed.Length == 0 ? 0 : char.ToUpperInvariant(trimmed[^1]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            _ => 0,
        };
        var digits = shift == 0 ? trimmed : trimmed[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > (long.MaxValue >> shift))
        {
            throw new ArgumentException($"'{text}' is not a size (a positive byte count, optionally with K, M or G).");
        }

        return value << shift;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}G",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}M",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}K",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };
}

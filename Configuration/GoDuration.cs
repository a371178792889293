using System.Globalization;
using System.Text;

namespace RegistryCloud.Configuration;

/// <summary>
/// Durations written the way Distribution's <c>config.yml</c> writes them: Go's
/// <c>time.ParseDuration</c> syntax (<c>300s</c>, <c>1m30s</c>, <c>1.5h</c>, <c>500us</c>,
/// <c>500µs</c>), and a bare integer read as nanoseconds, as yaml.v2 decodes a
/// <c>time.Duration</c> field. TimeSpan counts 100 ns ticks, so anything finer is truncated.
/// </summary>
public static class GoDuration
{
    private const decimal MaxNanoseconds = long.MaxValue;

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a duration (e.g. 10ms, 5s, 1m).");

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var negative = text[0] == '-';
        var body = text[0] is '-' or '+' ? text.AsSpan(1) : text.AsSpan();
        if (body.IsEmpty)
        {
            return false;
        }

        decimal nanoseconds;
        if (IsDigits(body))
        {
            // yaml.v2 stores an integer into a time.Duration as a count of nanoseconds.
            if (body.Length > 19 || !decimal.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out nanoseconds))
            {
                return false;
            }
        }
        else if (!TryParseUnits(body, out nanoseconds))
        {
            return false;
        }

        if (nanoseconds > MaxNanoseconds)
        {
            return false;
        }

        var ticks = (long)(nanoseconds / 100m);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Writes a duration that <see cref="TryParse"/> reads back: <c>1h30m</c>, <c>10ms</c>, <c>1.5s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
        }

        var ticks = value.Ticks == long.MinValue ? long.MaxValue : Math.Abs(value.Ticks);
        if (ticks < TimeSpan.TicksPerSecond)
        {
            var nanoseconds = ticks * 100;
            return builder.Append(nanoseconds switch
            {
                _ when nanoseconds % 1_000_000 == 0 => Invariant($"{nanoseconds / 1_000_000}ms"),
                _ when nanoseconds % 1_000 == 0 => Invariant($"{nanoseconds / 1_000}us"),
                _ => Invariant($"{nanoseconds}ns"),
            }).ToString();
        }

        var hours = ticks / TimeSpan.TicksPerHour;
        var minutes = ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
        var seconds = ticks % TimeSpan.TicksPerMinute / TimeSpan.TicksPerSecond;
        var fraction = ticks % TimeSpan.TicksPerSecond;
        if (hours > 0)
        {
            builder.Append(Invariant($"{hours}h"));
        }

        if (minutes > 0)
        {
            builder.Append(Invariant($"{minutes}m"));
        }

        if (seconds > 0 || fraction > 0)
        {
            builder.Append(Invariant($"{seconds}"));
            if (fraction > 0)
            {
                builder.Append('.').Append(Invariant($"{fraction:D7}").TrimEnd('0'));
            }

            builder.Append('s');
        }

        return builder.ToString();
    }

    // One or more "<number><unit>" parts, as time.ParseDuration accepts them.
    private static bool TryParseUnits(ReadOnlySpan<char> text, out decimal nanoseconds)
    {
        nanoseconds = 0;
        var index = 0;
        while (index < text.Length)
        {
            var integerStart = index;
            while (index < text.Length && char.IsAsciiDigit(text[index]))
            {
                index++;
            }

            var integer = text[integerStart..index];
            var fraction = ReadOnlySpan<char>.Empty;
            if (index < text.Length && text[index] == '.')
            {
                var fractionStart = ++index;
                while (index < text.Length && char.IsAsciiDigit(text[index]))
                {
                    index++;
                }

                fraction = text[fractionStart..index];
            }

            if ((integer.IsEmpty && fraction.IsEmpty) || integer.Length > 19)
            {
                return false;
            }

            var unitStart = index;
            while (index < text.Length && text[index] != '.' && !char.IsAsciiDigit(text[index]))
            {
                index++;
            }

            var scale = UnitInNanoseconds(text[unitStart..index]);
            if (scale == 0)
            {
                return false;
            }

            var number = integer.IsEmpty ? 0m : decimal.Parse(integer, NumberStyles.None, CultureInfo.InvariantCulture);
            if (!fraction.IsEmpty)
            {
                // Digits past the 18th cannot change a count of nanoseconds held in an int64.
                var digits = fraction.Length > 18 ? fraction[..18] : fraction;
                number += decimal.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) / Pow10(digits.Length);
            }

            nanoseconds += number * scale;
            if (nanoseconds > MaxNanoseconds)
            {
                return false;
            }
        }

        return true;
    }

    private static decimal UnitInNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1m,
        "us" or "\u00b5s" or "\u03bcs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60_000_000_000m,
        "h" => 3_600_000_000_000m,
        _ => 0m,
    };

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

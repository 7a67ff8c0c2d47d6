using System.Globalization;
using System.Text.RegularExpressions;

namespace Stratus.Dsl.Yaml;

/// <summary>YAML 1.1 implicit typing of plain scalars, as PyYAML's safe loader resolves them.</summary>
internal static partial class ScalarResolver
{
    public static object? Resolve(string text)
    {
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        switch (text)
        {
            case "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return true;
            case "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return false;
        }

        var first = text[0];
        if (!(char.IsAsciiDigit(first) || first is '-' or '+' or '.'))
        {
            return text;
        }

        if (IntPattern().IsMatch(text))
        {
            return ParseInt(text) ?? (object)text;
        }

        if (FloatPattern().IsMatch(text))
        {
            return ParseFloat(text);
        }

        return text;
    }

    private static long? ParseInt(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var sign = 1L;
        if (value[0] is '-' or '+')
        {
            sign = value[0] == '-' ? -1 : 1;
            value = value[1..];
        }

        try
        {
            long result;
            if (value == "0")
            {
                result = 0;
            }
            else if (value.StartsWith("0b", StringComparison.Ordinal))
            {
                result = System.Convert.ToInt64(value[2..], 2);
            }
            else if (value.StartsWith("0x", StringComparison.Ordinal))
            {
                result = long.Parse(value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }
            else if (value[0] == '0')
            {
                result = System.Convert.ToInt64(value, 8);
            }
            else if (value.Contains(':', StringComparison.Ordinal))
            {
                result = 0;
                foreach (var part in value.Split(':'))
                {
                    result = checked((result * 60) + long.Parse(part, CultureInfo.InvariantCulture));
                }
            }
            else
            {
                result = long.Parse(value, CultureInfo.InvariantCulture);
            }

            return sign * result;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static double ParseFloat(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var sign = 1.0;
        if (value[0] is '-' or '+')
        {
            sign = value[0] == '-' ? -1 : 1;
            value = value[1..];
        }

        if (value == ".INF")
        {
            return sign * double.PositiveInfinity;
        }

        if (value == ".NAN")
        {
            return double.NaN;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            var result = 0.0;
            foreach (var part in value.Split(':'))
            {
                result = (result * 60) + double.Parse(part, CultureInfo.InvariantCulture);
            }

            return sign * result;
        }

        return sign * double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}

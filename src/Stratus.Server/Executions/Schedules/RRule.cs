using System.Globalization;

namespace Stratus.Server.Executions.Schedules;

/// <summary>
/// The subset of RFC 5545 recurrence rules a schedule uses: FREQ, INTERVAL, COUNT, UNTIL and BYDAY (with 1-4/-1
/// positions for monthly and yearly rules). Other rule parts are refused rather than silently ignored.
/// </summary>
internal sealed record RRule(Frequency Frequency, int Interval, int? Count, DateTime? Until, IReadOnlyList<(DayOfWeek Day, int? Position)> Days)
{
    private static readonly string[] DayCodes = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

    public static DayOfWeek ParseDay(string code)
    {
        var index = Array.IndexOf(DayCodes, code);
        return index >= 0 ? (DayOfWeek)index : throw new FormatException($"unknown weekday {code}");
    }

    /// <summary>Parses <c>RRULE:FREQ=...;...</c> (the <c>RRULE:</c> prefix is optional).</summary>
    public static RRule Parse(string text)
    {
        var body = text.Trim();
        if (body.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
        {
            body = body[6..];
        }

        Frequency? frequency = null;
        var interval = 1;
        int? count = null;
        DateTime? until = null;
        var days = new List<(DayOfWeek, int?)>();
        foreach (var part in body.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                throw new FormatException($"unknown parameter '{part}'");
            }

            var (name, value) = (pair[0].Trim().ToUpperInvariant(), pair[1].Trim().ToUpperInvariant());
            switch (name)
            {
                case "FREQ":
                    frequency = Enum.TryParse<Frequency>(value, ignoreCase: true, out var f) && Enum.IsDefined(f)
                        ? f
                        : throw new FormatException($"invalid FREQ '{value}'");
                    break;
                case "INTERVAL":
                    interval = PositiveInt(value, name);
                    break;
                case "COUNT":
                    count = PositiveInt(value, name);
                    break;
                case "UNTIL":
                    until = DateTime.TryParseExact(
                        value, ["yyyyMMdd'T'HHmmss'Z'", "yyyyMMdd'T'HHmmss", "yyyyMMdd"], CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var u)
                        ? u
                        : throw new FormatException($"invalid UNTIL '{value}'");
                    break;
                case "BYDAY":
                    foreach (var day in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var code = day[^2..];
                        var prefix = day[..^2];
                        int? position = prefix.Length == 0 ? null
                            : int.TryParse(prefix, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n != 0 && Math.Abs(n) <= 53 ? n
                            : throw new FormatException($"invalid BYDAY '{day}'");
                        days.Add((ParseDay(code), position));
                    }

                    break;
                default:
                    throw new FormatException($"unsupported rule part {name}");
            }
        }

        if (frequency is null)
        {
            throw new FormatException("FREQ is required");
        }

        if (count is not null && until is not null)
        {
            throw new FormatException("COUNT and UNTIL cannot be used together");
        }

        return new RRule(frequency.Value, interval, count, until, days);
    }

    private static int PositiveInt(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"invalid {name} '{value}'");
}

using System.Globalization;
using System.Text.RegularExpressions;
using Stratus.Core.Errors;

namespace Stratus.Server.Identity;

/// <summary>
/// Cloudify's UTC time expressions (<c>parse_utc_datetime</c> with timezone UTC): <c>YYYY-MM-DD HH:MM</c>, an
/// ISO 8601 timestamp, or deltas from now such as <c>+10h</c>, <c>+30 minutes</c>, <c>+1day+10min</c>.
/// </summary>
internal static partial class TimeExpression
{
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith('+'))
        {
            var deltas = DeltaPattern().Matches(text);
            if (deltas.Count == 0 || string.Concat(deltas.Select(m => m.Value)) != text)
            {
                throw StratusException.BadParameters($"{text} is not a legal time delta");
            }

            var at = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
            foreach (Match delta in deltas)
            {
                var n = int.Parse(delta.Groups["n"].Value, CultureInfo.InvariantCulture);
                at = delta.Groups["unit"].Value switch
                {
                    var u when u.StartsWith("mo", StringComparison.Ordinal) => at.AddMonths(n),
                    var u when u.StartsWith("mi", StringComparison.Ordinal) => at.AddMinutes(n),
                    var u when u.StartsWith('h') => at.AddHours(n),
                    var u when u.StartsWith('d') => at.AddDays(n),
                    var u when u.StartsWith('w') => at.AddDays(7 * n),
                    _ => at.AddYears(n),
                };
            }

            return at;
        }

        string[] formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mmK"];
        return DateTimeOffset.TryParseExact(
            text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw StratusException.BadParameters($"{text} is not a legal time format. Accepted formats: YYYY-MM-DD HH:MM or +<number><unit> (e.g. +10h)");
    }

    [GeneratedRegex(@"\+(?<n>\d+) ?(?<unit>min(ute)?|h(our)?|d(ay)?|w(eek)?|mo(nth)?|y(ear)?)s? ?", RegexOptions.CultureInvariant)]
    private static partial Regex DeltaPattern();
}

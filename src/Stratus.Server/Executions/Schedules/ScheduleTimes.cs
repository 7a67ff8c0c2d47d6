using System.Globalization;
using Stratus.Core.Errors;

namespace Stratus.Server.Executions.Schedules;

/// <summary>The time formats Cloudify accepts for schedules and scheduled executions.</summary>
internal static class ScheduleTimes
{
    private static readonly string[] NaiveFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'",
    ];

    private static readonly string[] ZonedFormats =
    [
        "yyyyMMddHHmmzzz", "yyyyMMddHHmmzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz",
        "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd HH:mmzzz",
    ];

    /// <summary>
    /// <c>since</c>/<c>until</c> (Cloudify's <c>parse_datetime_multiple_formats</c>): a UTC time without zone; a time
    /// with an explicit offset is also taken and converted.
    /// </summary>
    public static DateTimeOffset ParseScheduleTime(string text)
    {
        if (DateTime.TryParseExact(text, NaiveFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var naive))
        {
            return new DateTimeOffset(naive, TimeSpan.Zero);
        }

        if (TryParseZoned(text, out var zoned))
        {
            return zoned;
        }

        throw StratusException.BadParameters($"{text} is not a legal time format");
    }

    /// <summary><c>scheduled_time</c> (Cloudify's <c>parse_datetime_string</c>): the time zone is required.</summary>
    public static DateTimeOffset ParseScheduledTime(string text)
    {
        if (TryParseZoned(text, out var zoned))
        {
            return zoned;
        }

        var reason = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? $"Date `{text}` missing timezone information, please provide valid date. "
            : $"Date `{text}` is not a valid date. ";
        throw StratusException.BadParameters(
            reason + "\nExpected format: YYYYMMDDHHMM+HHMM or YYYYMMDDHHMM-HHMM i.e: 201801012230-0500 (Jan-01-18 10:30pm EST)");
    }

    private static bool TryParseZoned(string text, out DateTimeOffset value)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith('Z') && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        if (DateTimeOffset.TryParseExact(trimmed, ZonedFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        return false;
    }
}

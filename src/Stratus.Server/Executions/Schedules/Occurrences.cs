using System.Text.Json.Nodes;

namespace Stratus.Server.Executions.Schedules;

/// <summary>
/// The times a schedule's rule yields (Cloudify's <c>get_rrule</c> over dateutil): starting at <c>since</c> truncated to
/// the second, every <c>interval</c> units, only on the given weekdays (positions pick the n-th or last one of a month
/// or year), at most <c>count</c> times, never after <c>until</c> (inclusive). All times are UTC.
/// </summary>
internal static class Occurrences
{
    /// <summary>Cloudify lists at most this many upcoming occurrences (<c>all_next_occurrences</c>).</summary>
    public const int MaxListed = 1000;

    /// <summary>Candidate times looked at before giving up (dateutil's search is bounded the same way in Cloudify).</summary>
    private const int SearchLimit = 1_000_000;

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null when there is none.</summary>
    public static DateTimeOffset? NextAfter(JsonObject rule, DateTimeOffset? since, DateTimeOffset? until, DateTimeOffset after) =>
        Enumerate(rule, since, until, after).Where(t => t > after).Select(t => (DateTimeOffset?)t).FirstOrDefault();

    /// <summary>Occurrences at or after <paramref name="now"/>, at most <see cref="MaxListed"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Upcoming(JsonObject rule, DateTimeOffset? since, DateTimeOffset? until, DateTimeOffset now) =>
        [.. Enumerate(rule, since, until, now).Where(t => t >= now).Take(MaxListed)];

    private static IEnumerable<DateTimeOffset> Enumerate(JsonObject rule, DateTimeOffset? since, DateTimeOffset? until, DateTimeOffset hint)
    {
        var start = Truncate((since ?? hint).UtcDateTime);
        var end = until?.UtcDateTime;
        var spec = Spec(rule);
        if (spec is null)
        {
            // {count: 1} without a recurrence: once, at since.
            if (end is null || start <= end)
            {
                yield return new DateTimeOffset(start, TimeSpan.Zero);
            }

            yield break;
        }

        var last = spec.Until ?? end;
        var taken = 0;
        foreach (var time in Raw(spec, start, hint.UtcDateTime))
        {
            if (last is { } l && time > l)
            {
                yield break;
            }

            yield return new DateTimeOffset(time, TimeSpan.Zero);
            if (spec.Count is { } count && ++taken >= count)
            {
                yield break;
            }
        }
    }

    private static RRule? Spec(JsonObject rule)
    {
        if (rule["rrule"] is JsonValue r && r.TryGetValue<string>(out var text))
        {
            return RRule.Parse(text);
        }

        var recurrence = rule["recurrence"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (recurrence is null || ScheduleRule.ParseRecurrence(recurrence) is not { } parsed)
        {
            return null;
        }

        var frequency = parsed.Unit switch
        {
            "sec" or "second" => Frequency.Secondly,
            "min" or "minute" => Frequency.Minutely,
            "h" or "hour" => Frequency.Hourly,
            "d" or "day" => Frequency.Daily,
            "w" or "week" => Frequency.Weekly,
            "mo" or "month" => Frequency.Monthly,
            _ => Frequency.Yearly,
        };
        var days = (rule["weekdays"] as JsonArray ?? []).Select(d => d?.ToString() ?? "").Where(d => d.Length >= 2).Select(d =>
        {
            var prefix = d[..^2];
            int? position = prefix.Length == 0 ? null : prefix == "L-" ? -1 : prefix[0] - '0';
            return (RRule.ParseDay(d[^2..]), position);
        }).ToList();
        var count = rule["count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
        return new RRule(frequency, Math.Max(parsed.Interval, 1), count, null, days);
    }

    /// <summary>Every time the rule yields from <paramref name="start"/> on, ascending, before count and until apply.</summary>
    private static IEnumerable<DateTime> Raw(RRule spec, DateTime start, DateTime hint)
    {
        var fixedStep = spec.Frequency switch
        {
            Frequency.Secondly => TimeSpan.FromSeconds(spec.Interval),
            Frequency.Minutely => TimeSpan.FromMinutes(spec.Interval),
            Frequency.Hourly => TimeSpan.FromHours(spec.Interval),
            Frequency.Daily => TimeSpan.FromDays(spec.Interval),
            Frequency.Weekly when spec.Days.Count == 0 => TimeSpan.FromDays(7 * spec.Interval),
            _ => (TimeSpan?)null,
        };
        if (fixedStep is { } step)
        {
            var days = spec.Days.Select(d => d.Day).ToHashSet();
            // Without a weekday filter the n-th occurrence is start + n * step: jump close to the hint instead of walking.
            var first = days.Count == 0 && spec.Count is null && hint > start ? (hint - start).Ticks / step.Ticks : 0;
            var lastK = Math.Min(first + SearchLimit, (DateTime.MaxValue.Ticks - start.Ticks) / step.Ticks);
            for (var k = first; k <= lastK; k++)
            {
                var time = new DateTime(start.Ticks + (step.Ticks * k), DateTimeKind.Utc);
                if (days.Count == 0 || days.Contains(time.DayOfWeek))
                {
                    yield return time;
                }
            }

            yield break;
        }

        for (var k = 0; k < SearchLimit / 50; k++)
        {
            var period = Period(spec, start, k);
            if (period is null)
            {
                yield break;
            }

            foreach (var time in period.Where(t => t >= start))
            {
                yield return time;
            }
        }
    }

    /// <summary>The k-th week, month or year of the rule, with the times it yields in it; null past year 9998.</summary>
    private static List<DateTime>? Period(RRule spec, DateTime start, int k)
    {
        var time = start.TimeOfDay;
        DateTime first;
        DateTime next;
        switch (spec.Frequency)
        {
            case Frequency.Weekly:
                var weeks = (long)k * spec.Interval;
                if (weeks > (DateTime.MaxValue.Date - start.Date).Days / 7 - 2)
                {
                    return null;
                }

                first = start.Date.AddDays(-(((int)start.DayOfWeek + 6) % 7)).AddDays(7 * weeks);
                next = first.AddDays(7);
                break;
            case Frequency.Monthly:
                var months = (start.Year * 12L) + start.Month - 1 + ((long)k * spec.Interval);
                if (months / 12 >= 9999)
                {
                    return null;
                }

                first = new DateTime((int)(months / 12), (int)(months % 12) + 1, 1, 0, 0, 0, DateTimeKind.Utc);
                next = first.AddMonths(1);
                break;
            default:
                var year = start.Year + ((long)k * spec.Interval);
                if (year >= 9999)
                {
                    return null;
                }

                first = new DateTime((int)year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                next = first.AddYears(1);
                break;
        }

        var result = new SortedSet<DateTime>();
        if (spec.Days.Count == 0)
        {
            // Monthly and yearly rules repeat since's day (and month); a month without that day is skipped.
            var month = spec.Frequency == Frequency.Yearly ? start.Month : first.Month;
            if (start.Day <= DateTime.DaysInMonth(first.Year, month))
            {
                result.Add(new DateTime(first.Year, month, start.Day, 0, 0, 0, DateTimeKind.Utc) + time);
            }

            return [.. result];
        }

        foreach (var (day, position) in spec.Days)
        {
            var matching = new List<DateTime>();
            for (var d = first; d < next; d = d.AddDays(1))
            {
                if (d.DayOfWeek == day)
                {
                    matching.Add(d + time);
                }
            }

            if (position is null || spec.Frequency == Frequency.Weekly)
            {
                result.UnionWith(matching);
            }
            else if (position > 0 && position <= matching.Count)
            {
                result.Add(matching[position.Value - 1]);
            }
            else if (position < 0 && -position <= matching.Count)
            {
                result.Add(matching[matching.Count + position.Value]);
            }
        }

        return [.. result];
    }

    private static DateTime Truncate(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Stratus.Core.Errors;

namespace Stratus.Server.Executions.Schedules;

/// <summary>
/// Cloudify's scheduling rule (<c>compute_rule_from_scheduling_params</c>): <c>{rrule}</c>, or
/// <c>{recurrence, count, weekdays}</c> where recurrence is <c>&lt;n&gt; sec|min|h|d|w|mo|y</c>[s] and weekdays are
/// <c>MO..SU</c>, optionally prefixed by 1-4 or <c>L-</c> for month/year recurrences.
/// </summary>
internal static partial class ScheduleRule
{
    public const string WeekdayNames = "MO|TU|WE|TH|FR|SA|SU";

    /// <summary>Validates the request's rule fields and returns the rule to store, falling back to <paramref name="existing"/>'s.</summary>
    public static JsonObject Compute(JsonObject request, JsonObject? existing = null)
    {
        var rrule = Text(request["rrule"]);
        var recurrence = Text(request["recurrence"]);
        var weekdays = request["weekdays"];
        var countNode = request["count"];
        if (!string.IsNullOrEmpty(rrule))
        {
            if (!string.IsNullOrEmpty(recurrence) || IsTruthy(weekdays) || IsTruthy(countNode))
            {
                throw StratusException.BadParameters("`rrule` cannot be provided together with `recurrence`, `weekdays` or `count`.");
            }

            try
            {
                RRule.Parse(rrule);
            }
            catch (FormatException e)
            {
                throw StratusException.BadParameters($"invalid RRULE string provided: {e.Message}");
            }

            return new JsonObject { ["rrule"] = rrule };
        }

        int? count = IsTruthy(countNode) ? ToInt(countNode!) : null;
        string? unit = null;
        if (!string.IsNullOrEmpty(recurrence))
        {
            (_, unit) = ParseRecurrence(recurrence)
                ?? throw StratusException.BadParameters(
                    $"`{recurrence}` is not a legal recurrence expression. Supported format is: <number> seconds|minutes|hours|days|weeks|months|years");
        }
        else
        {
            recurrence = null;
        }

        var days = VerifyWeekdays(weekdays, unit);
        if (existing is not null)
        {
            count ??= existing["count"] is JsonValue c && c.TryGetValue<int>(out var ec) ? ec : null;
            recurrence ??= Text(existing["recurrence"]);
            days ??= existing["weekdays"] is JsonArray ew ? [.. ew.Select(w => w?.ToString() ?? "")] : null;
        }

        if (recurrence is null && count != 1)
        {
            throw StratusException.BadParameters("recurrence must be specified for execution count larger than 1");
        }

        return new JsonObject
        {
            ["recurrence"] = recurrence,
            ["count"] = count,
            ["weekdays"] = days is null ? null : new JsonArray([.. days.Select(d => (JsonNode?)JsonValue.Create(d))]),
        };
    }

    /// <summary>Cloudify's <c>parse_recurrence</c>: the interval and the unit as written (<c>w</c>, <c>week</c>, ...); null when not one.</summary>
    public static (int Interval, string Unit)? ParseRecurrence(string expression)
    {
        var match = RecurrencePattern().Match(expression);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var interval))
        {
            return null;
        }

        return (interval, match.Groups[2].Value);
    }

    private static List<string>? VerifyWeekdays(JsonNode? weekdays, string? unit)
    {
        if (!IsTruthy(weekdays))
        {
            return null;
        }

        if (weekdays is not JsonArray list)
        {
            throw StratusException.BadParameters($"weekdays: expected a list, but got: {weekdays!.ToJsonString()}");
        }

        var complexAllowed = unit is "mo" or "month" or "y" or "year";
        var result = new List<string>();
        foreach (var item in list)
        {
            var day = (Text(item) ?? item?.ToJsonString() ?? "null").ToUpperInvariant();
            var match = WeekdayPattern().Match(day);
            if (!match.Success)
            {
                throw StratusException.BadParameters(
                    $"weekdays list contains an invalid weekday `{day}`. Valid weekdays are: {WeekdayNames} or their lowercase values, "
                        + "optionally prefixed by 1-4 or l-/L-.");
            }

            if (match.Groups[1].Length > 0 && !complexAllowed)
            {
                throw StratusException.BadParameters(
                    $"complex weekday expression {day} can only be used with a months|years recurrence, but got {unit ?? "None"}.");
            }

            result.Add(day);
        }

        return result;
    }

    private static int ToInt(JsonNode node)
    {
        if (node is JsonValue v && (v.TryGetValue<int>(out var i) || (v.TryGetValue<string>(out var s)
            && int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out i))))
        {
            return i;
        }

        throw StratusException.BadParameters($"invalid parameter, should be int, got: {Text(node) ?? node.ToJsonString()}");
    }

    private static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0,
        _ => true,
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex(@"(\d+) ?(sec(?:ond)?|min(?:ute)?|h(?:our)?|d(?:ay)?|w(?:eek)?|mo(?:nth)?|y(?:ear)?)s?$", RegexOptions.CultureInvariant)]
    private static partial Regex RecurrencePattern();

    [GeneratedRegex(@"^([1-4]|L-)?(MO|TU|WE|TH|FR|SA|SU)$", RegexOptions.CultureInvariant)]
    private static partial Regex WeekdayPattern();
}

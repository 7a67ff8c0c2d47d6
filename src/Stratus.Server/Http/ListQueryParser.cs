using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Stratus.Core.Errors;
using Stratus.Storage;

namespace Stratus.Server.Http;

/// <summary>Cloudify's list conventions (<c>_include, _sort, _offset, _size, _get_all_results, _search, _range</c>, filters).</summary>
internal static partial class ListQueryParser
{
    public static ParsedList Parse(IQueryCollection query, ResourceFields fields)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var (key, values) in query)
        {
            if (key.StartsWith('_') || fields.Ignored.Contains(key))
            {
                continue;
            }

            var field = fields.Aliases.TryGetValue(key, out var alias) ? alias : key;
            if (!fields.Filterable.Contains(field))
            {
                unknown.Add(key);
                continue;
            }

            filters[field] = [.. values.OfType<string>()];
        }

        if (unknown.Count > 0)
        {
            throw StratusException.BadParameters(
                $"Filter keys '{Wire.PyList(unknown)}' do not exist. Allowed keys are: {Wire.PyList(fields.Filterable)}");
        }

        // Validated on every list as Cloudify does; honoured only where the endpoint scopes it (Auth/ListScope).
        var allTenants = Wire.ParseBool("_all_tenants", query["_all_tenants"].LastOrDefault(), false);
        return new ParsedList(
            new ListQuery
            {
                Filters = filters,
                Sort = ParseSort(query["_sort"], fields),
                Offset = ParseNonNegative(query, "_offset") ?? 0,
                Size = ParseNonNegative(query, "_size") ?? fields.DefaultSize,
                GetAll = Wire.ParseBool("_get_all_results", query["_get_all_results"].LastOrDefault(), false),
                Search = query["_search"].LastOrDefault(),
                Ranges = ParseRanges(query["_range"]),
            },
            ParseInclude(query["_include"], fields),
            allTenants);
    }

    public static IReadOnlyList<string>? ParseInclude(StringValues raw, ResourceFields fields)
    {
        if (raw.Count == 0)
        {
            return null;
        }

        var include = raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var unknown = include.Where(f => !fields.Includable.Contains(f)).ToList();
        if (unknown.Count > 0)
        {
            throw new StratusException(
                ErrorCodes.NoSuchIncludeField,
                400,
                $"include keys '{Wire.PyList(unknown)}' do not exist. Allowed keys are: {Wire.PyList(fields.Includable)}");
        }

        return include;
    }

    private static List<Storage.SortKey> ParseSort(StringValues raw, ResourceFields fields)
    {
        var keys = new List<Storage.SortKey>();
        var unknown = new List<string>();
        foreach (var value in raw.OfType<string>())
        {
            if (!SortPattern().IsMatch(value))
            {
                unknown.Add(value);
                continue;
            }

            var descending = value.StartsWith('-');
            var field = value.TrimStart('+', '-');
            if (!fields.Sortable.Contains(field))
            {
                unknown.Add(field);
                continue;
            }

            keys.Add(new Storage.SortKey(field, descending));
        }

        if (unknown.Count > 0)
        {
            throw StratusException.BadParameters(
                $"Sort keys '{Wire.PyList(unknown)}' do not exist. Allowed keys are: {Wire.PyList(fields.Sortable)}");
        }

        return keys;
    }

    private static int? ParseNonNegative(IQueryCollection query, string name)
    {
        var text = query[name].LastOrDefault();
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw StratusException.BadParameters($"{name} must be a non-negative integer, got {text}");
        }

        return value;
    }

    private static List<RangeFilter> ParseRanges(StringValues raw)
    {
        var ranges = new List<RangeFilter>();
        foreach (var value in raw.OfType<string>())
        {
            var parts = value.Split(',');
            if (parts.Length != 3 || parts[0].Length == 0)
            {
                throw StratusException.BadParameters($"_range must be <field>,<from>,<to>, got {value}");
            }

            ranges.Add(new RangeFilter(parts[0], NullIfEmpty(parts[1]), NullIfEmpty(parts[2])));
        }

        return ranges;
    }

    /// <summary>For lists with no range-able field: any <c>_range</c> names an unknown key.</summary>
    public static void RefuseRanges(ListQuery query)
    {
        if (query.Ranges.Count > 0)
        {
            throw StratusException.BadParameters($"Range keys '{Wire.PyList(query.Ranges.Select(r => r.Field))}' do not exist. Allowed keys are: []");
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    [GeneratedRegex(@"^[+-]?@?\w+$")]
    private static partial Regex SortPattern();
}

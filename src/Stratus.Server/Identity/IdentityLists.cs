using Microsoft.AspNetCore.Http;
using Stratus.Core.Errors;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Identity;

/// <summary>
/// Cloudify's list conventions over the identity snapshot: equality filters, <c>_search</c> on the name, <c>_sort</c>,
/// pagination and <c>_get_data</c>. The identity tables are small (one row per person, group or tenant), so they are
/// filtered in memory after one snapshot read rather than compiled to SQL.
/// </summary>
internal static class IdentityLists
{
    public static (Page<T> Page, ParsedList List, bool GetData) Apply<T>(
        IQueryCollection query, IReadOnlyList<T> all, string nameField, IReadOnlyDictionary<string, Func<T, string?>> fields)
    {
        var resourceFields = new ResourceFields([.. fields.Keys], [.. fields.Keys], [.. fields.Keys]) { Ignored = ["_get_data"] };
        var list = ListQueryParser.Parse(query, resourceFields);
        var getData = Wire.ParseBool("_get_data", query["_get_data"].LastOrDefault(), false);
        IEnumerable<T> items = all;
        foreach (var (field, values) in list.Query.Filters)
        {
            var read = fields[field];
            items = items.Where(i => values.Contains(read(i) ?? "", StringComparer.OrdinalIgnoreCase));
        }

        if (list.Query.Search is { Length: > 0 } search)
        {
            var read = fields[nameField];
            items = items.Where(i => (read(i) ?? "").Contains(search, StringComparison.OrdinalIgnoreCase));
        }

        IOrderedEnumerable<T>? sorted = null;
        foreach (var key in list.Query.Sort)
        {
            var read = fields.TryGetValue(key.Field, out var f) ? f : throw StratusException.BadParameters($"Unknown sort field `{key.Field}`");
            sorted = (sorted, key.Descending) switch
            {
                (null, false) => items.OrderBy(read, StringComparer.Ordinal),
                (null, true) => items.OrderByDescending(read, StringComparer.Ordinal),
                (_, false) => sorted.ThenBy(read, StringComparer.Ordinal),
                (_, true) => sorted.ThenByDescending(read, StringComparer.Ordinal),
            };
        }

        return (ListResponse.PageOf([.. sorted ?? items], list.Query), list, getData);
    }
}

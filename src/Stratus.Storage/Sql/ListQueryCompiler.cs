using System.Globalization;
using System.Text;
using Stratus.Core.Errors;

namespace Stratus.Storage.Sql;

/// <summary>Turns a <see cref="ListQuery"/> into SQL over whitelisted columns and parameters.</summary>
internal static class ListQueryCompiler
{
    public static CompiledList Compile(FieldMap map, ListQuery query, SqlParameters parameters, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(query);
        Validate(map, query);

        var where = new StringBuilder();
        foreach (var (field, values) in query.Filters)
        {
            var column = map.Fields[field];
            if (values.Count == 0)
            {
                where.Append(" AND ").Append(column.Sql).Append(" IS NULL");
                continue;
            }

            var list = parameters.AddList(values.Select(v => Convert(field, column.Kind, v)));
            where.Append(" AND ").Append(column.Sql).Append(" IN (").Append(list).Append(')');
        }

        foreach (var range in query.Ranges)
        {
            var column = map.Ranges[range.Field];
            if (!string.IsNullOrEmpty(range.From))
            {
                where.Append(" AND ").Append(column.Sql).Append(" >= ")
                    .Append(parameters.Add(Convert(range.Field, column.Kind, range.From)));
            }

            if (!string.IsNullOrEmpty(range.To))
            {
                where.Append(" AND ").Append(column.Sql).Append(" <= ")
                    .Append(parameters.Add(Convert(range.Field, column.Kind, range.To)));
            }
        }

        if (query.PrivateVisibleTo is { } user
            && map.Fields.TryGetValue("visibility", out var visibility) && map.Fields.TryGetValue("created_by", out var creator))
        {
            where.Append(" AND (").Append(visibility.Sql).Append(" <> ").Append(parameters.Add("private"))
                .Append(" OR ").Append(creator.Sql).Append(" = ").Append(parameters.Add(user));
            if (query.PrivateVisibleIn.Count > 0 && map.Fields.TryGetValue("tenant_name", out var tenant))
            {
                where.Append(" OR ").Append(tenant.Sql).Append(" IN (").Append(parameters.AddList(query.PrivateVisibleIn)).Append(')');
            }

            where.Append(')');
        }

        if (!string.IsNullOrEmpty(query.Search))
        {
            where.Append(" AND ").Append(dialect.Contains(map.SearchColumn, parameters.Add(query.Search)));
        }

        var orderBy = new StringBuilder(" ORDER BY ");
        foreach (var key in query.Sort)
        {
            orderBy.Append(map.Fields[key.Field].Sql)
                .Append(key.Descending ? " DESC NULLS LAST, " : " ASC NULLS FIRST, ");
        }

        orderBy.Append(map.DefaultOrder);

        var limit = query.GetAll
            ? ""
            : " LIMIT " + parameters.Add((long)query.Size) + " OFFSET " + parameters.Add((long)query.Offset);
        return new CompiledList(where.ToString(), orderBy.ToString(), limit);
    }

    private static void Validate(FieldMap map, ListQuery query)
    {
        var unknownFilters = query.Filters.Keys.Where(k => !map.Fields.ContainsKey(k)).ToList();
        if (unknownFilters.Count > 0)
        {
            throw StratusException.BadParameters(
                $"Filter keys '{PyList(unknownFilters)}' do not exist. Allowed keys are: {PyList(map.Fields.Keys)}");
        }

        var unknownSorts = query.Sort.Select(s => s.Field).Where(f => !map.Fields.ContainsKey(f)).ToList();
        if (unknownSorts.Count > 0)
        {
            throw StratusException.BadParameters(
                $"Sort keys '{PyList(unknownSorts)}' do not exist. Allowed keys are: {PyList(map.Fields.Keys)}");
        }

        var unknownRanges = query.Ranges.Select(r => r.Field).Where(f => !map.Ranges.ContainsKey(f)).ToList();
        if (unknownRanges.Count > 0)
        {
            throw StratusException.BadParameters(
                $"Range keys '{PyList(unknownRanges)}' do not exist. Allowed keys are: {PyList(map.Ranges.Keys)}");
        }

        if (query.Offset < 0 || (!query.GetAll && query.Size < 0))
        {
            throw StratusException.BadParameters(
                $"_offset and _size must be non-negative, got _offset={query.Offset} _size={query.Size}");
        }
    }

    private static object Convert(string field, ColumnKind kind, string value) => kind switch
    {
        ColumnKind.Timestamp => DateTimeOffset.TryParse(
            value,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var timestamp)
            ? timestamp
            : throw StratusException.BadParameters($"{field} must be a timestamp, got {value}"),
        ColumnKind.Boolean => bool.TryParse(value, out var flag)
            ? flag
            : throw StratusException.BadParameters($"{field} must be <true/false>, got {value}"),
        ColumnKind.Integer => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw StratusException.BadParameters($"{field} must be an integer, got {value}"),
        _ => value,
    };

    /// <summary>Python's repr of a list of strings, as Cloudify's messages print it.</summary>
    private static string PyList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(v => $"'{v}'")) + "]";
}

namespace Stratus.Client;

/// <summary>Cloudify's list arguments: <c>_offset</c>, <c>_size</c>, <c>_sort</c>, <c>_include</c> and field filters.</summary>
public sealed record ListOptions
{
    public int? Offset { get; init; }

    public int? Size { get; init; }

    /// <summary>Each entry is a field, <c>-field</c> for descending (sent as repeated <c>_sort</c>).</summary>
    public IReadOnlyList<string> Sort { get; init; } = [];

    /// <summary>Substring of the resource's search field (<c>_search</c>; plugins: package_name).</summary>
    public string? Search { get; init; }

    /// <summary>Projection, sent as <c>_include=a,b,c</c>.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Field filters (<c>deployment_id=x</c>); several values for one field mean OR.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    internal void AppendTo(QueryBuilder query)
    {
        foreach (var (field, values) in Filters)
        {
            foreach (var value in values)
            {
                query.Add(field, value);
            }
        }

        foreach (var sort in Sort)
        {
            query.Add("_sort", sort);
        }

        if (Search is { Length: > 0 } search)
        {
            query.Add("_search", search);
        }

        if (Include.Count > 0)
        {
            query.Add("_include", string.Join(',', Include));
        }

        if (Offset is { } offset)
        {
            query.Add("_offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Size is { } size)
        {
            query.Add("_size", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A copy with <paramref name="field"/> filtered to <paramref name="value"/>; a null value leaves it unfiltered.</summary>
    public ListOptions WithFilter(string field, string? value) =>
        value is null
            ? this
            : this with { Filters = new Dictionary<string, IReadOnlyList<string>>(Filters) { [field] = [value] } };
}

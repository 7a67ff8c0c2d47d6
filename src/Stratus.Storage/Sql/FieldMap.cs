namespace Stratus.Storage.Sql;

/// <summary>
/// The wire field names a resource's list accepts and the columns they map to. Only names found here ever reach SQL
/// text; values always travel as parameters.
/// </summary>
internal sealed class FieldMap
{
    /// <summary>Cloudify's model name, used in messages (<c>Blueprint</c>).</summary>
    public required string Resource { get; init; }

    /// <summary>Fields usable in filters and <c>_sort</c>.</summary>
    public required IReadOnlyDictionary<string, Column> Fields { get; init; }

    /// <summary>Fields usable in <c>_range</c>.</summary>
    public IReadOnlyDictionary<string, Column> Ranges { get; init; } = new Dictionary<string, Column>();

    /// <summary>The column <c>_search</c> matches a substring of.</summary>
    public required string SearchColumn { get; init; }

    /// <summary>The order when no <c>_sort</c> is given; also appended as a tie-break so pages never overlap.</summary>
    public required string DefaultOrder { get; init; }
}

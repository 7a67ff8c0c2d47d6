namespace Stratus.Server.Http;

/// <summary>What a resource's list accepts: sortable and filterable fields (the store's), and projectable ones.</summary>
internal sealed record ResourceFields(
    IReadOnlyList<string> Sortable,
    IReadOnlyList<string> Filterable,
    IReadOnlyList<string> Includable)
{
    /// <summary>Query args that are neither list conventions nor filters for this endpoint.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>Wire aliases for filters (e.g. node-instances' deprecated <c>node_name</c> for <c>node_id</c>).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    public int DefaultSize { get; init; } = Storage.ListQuery.DefaultSize;
}

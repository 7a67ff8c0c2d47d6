namespace Stratus.Storage;

/// <summary>
/// Cloudify's list conventions, already parsed from the query string: field filters (values OR-ed), sort keys,
/// pagination and substring search. Field names are Cloudify's wire names (<c>deployment_id</c>, <c>created_at</c>);
/// a store rejects a name it does not know with <c>bad_parameters_error</c>.
/// </summary>
public sealed record ListQuery
{
    public const int DefaultSize = 1000;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<SortKey> Sort { get; init; } = [];

    public int Offset { get; init; }

    public int Size { get; init; } = DefaultSize;

    /// <summary><c>_get_all_results=true</c>: ignore offset and size.</summary>
    public bool GetAll { get; init; }

    /// <summary><c>_search</c>: substring of the resource's search column (usually <c>id</c>).</summary>
    public string? Search { get; init; }

    /// <summary><c>_range=field,from,to</c>; either end may be null.</summary>
    public IReadOnlyList<RangeFilter> Ranges { get; init; } = [];

    /// <summary>
    /// Cloudify's permissions filter for a caller who is not an administrator: private resources are listed only if
    /// this user created them. Null lists everything (administrators).
    /// </summary>
    public string? PrivateVisibleTo { get; init; }

    /// <summary>
    /// With <see cref="PrivateVisibleTo"/>: the tenants the caller administers, whose private resources are listed
    /// whoever created them.
    /// </summary>
    public IReadOnlyList<string> PrivateVisibleIn { get; init; } = [];

    /// <summary>
    /// Cloudify's <c>_all_tenants=true</c>: the rows of these tenants replace those of the tenant the list method names
    /// (global rows of other tenants still appear where the resource has them). Null: that one tenant.
    /// </summary>
    public IReadOnlyList<string>? Tenants { get; init; }

    public static ListQuery All { get; } = new() { GetAll = true };
}

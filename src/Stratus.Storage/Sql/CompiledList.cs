namespace Stratus.Storage.Sql;

/// <summary>
/// SQL fragments of one list: <see cref="Where"/> is empty or starts with <c> AND</c> (appended to the resource's
/// own tenant condition), <see cref="OrderBy"/> and <see cref="Limit"/> are complete clauses.
/// </summary>
internal sealed record CompiledList(string Where, string OrderBy, string Limit);

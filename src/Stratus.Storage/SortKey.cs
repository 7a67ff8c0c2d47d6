namespace Stratus.Storage;

public readonly record struct SortKey(string Field, bool Descending);

namespace Stratus.Storage;

public sealed record RangeFilter(string Field, string? From, string? To);

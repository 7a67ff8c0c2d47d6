namespace Stratus.Storage;

/// <summary>One page of a list and Cloudify's pagination metadata.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Offset, int Size);

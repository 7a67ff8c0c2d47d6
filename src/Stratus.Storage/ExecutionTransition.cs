namespace Stratus.Storage;

/// <summary>Columns written together with a compare-and-set of an execution's status.</summary>
public sealed record ExecutionTransition
{
    public required string To { get; init; }

    /// <summary>The statuses the execution must be in for the change to apply.</summary>
    public required IReadOnlyList<string> ExpectedFrom { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }
}

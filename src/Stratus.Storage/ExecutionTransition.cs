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

    /// <summary>Clears <c>ended_at</c> (an ended execution that is resumed).</summary>
    public bool ClearEndedAt { get; init; }

    /// <summary>Sets the <c>resume</c> flag when not null.</summary>
    public bool? Resume { get; init; }

    /// <summary>Replaces the token hash (SHA-256 hex) when not null.</summary>
    public string? TokenHash { get; init; }
}

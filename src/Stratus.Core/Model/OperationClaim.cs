namespace Stratus.Core.Model;

/// <summary>
/// An agent's claim of one attempt of an operation before it runs it: the attempt (the retry number), an id unique to
/// the claiming agent process, and the agent's and (for a manager's own agent) the manager's name.
/// </summary>
public sealed record OperationClaim
{
    public required string TenantName { get; init; }

    public required string OperationId { get; init; }

    /// <summary>When set, only an operation of this execution can be claimed (a caller holding its token).</summary>
    public string? ExecutionId { get; init; }

    public required int Attempt { get; init; }

    public required string ClaimId { get; init; }

    public string? AgentName { get; init; }

    /// <summary>The manager whose own agent claims; such a claim can be taken over once that manager is gone and the execution's run released it.</summary>
    public string? ManagerName { get; init; }

    public required DateTimeOffset ClaimedAt { get; init; }
}

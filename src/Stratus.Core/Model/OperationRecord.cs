using System.Text.Json.Nodes;

namespace Stratus.Core.Model;

/// <summary>One task of a stored graph (Cloudify's <c>operations</c> row).</summary>
public sealed record OperationRecord
{
    public required string Id { get; init; }

    public required string GraphId { get; init; }

    public required string TenantName { get; init; }

    public required string Name { get; init; }

    /// <summary>pending, sending, sent, started, succeeded, failed, rescheduled.</summary>
    public string State { get; init; } = "pending";

    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>RemoteWorkflowTask, SetNodeInstanceStateTask, SendNodeEventTask, SubgraphTask, ...</summary>
    public required string Type { get; init; }

    public JsonObject Parameters { get; init; } = [];

    public string? ManagerName { get; init; }

    public string? AgentName { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The attempt (retry number) an agent last claimed before running it; null until one did.</summary>
    public int? ClaimedAttempt { get; init; }

    /// <summary>The claim id that holds <see cref="ClaimedAttempt"/>.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>The attempt <see cref="State"/> belongs to (see <see cref="OperationStates"/>).</summary>
    public int Attempt { get; init; }
}

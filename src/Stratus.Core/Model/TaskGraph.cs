namespace Stratus.Core.Model;

/// <summary>A stored task graph of an execution (Cloudify's <c>tasks_graphs</c> row).</summary>
public sealed record TaskGraph
{
    public required string Id { get; init; }

    public required string ExecutionId { get; init; }

    public required string TenantName { get; init; }

    public required string Name { get; init; }

    public string State { get; init; } = "pending";

    public required DateTimeOffset CreatedAt { get; init; }
}

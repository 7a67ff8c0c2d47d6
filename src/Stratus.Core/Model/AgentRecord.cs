namespace Stratus.Core.Model;

/// <summary>
/// An agent (Cloudify's <c>agents</c> row): a process that consumes its own operation queue, named after it. Agent
/// names are unique across tenants, since one broker carries every agent's queue.
/// </summary>
public sealed record AgentRecord
{
    public required string Name { get; init; }

    public required string TenantName { get; init; }

    public required string CreatedBy { get; init; }

    public string Visibility { get; init; } = Model.Visibility.Tenant;

    /// <summary>The host (Compute) instance the agent serves; null until an install binds it.</summary>
    public string? NodeInstanceId { get; init; }

    public string? DeploymentId { get; init; }

    public string? NodeId { get; init; }

    public string? Ip { get; init; }

    public required string InstallMethod { get; init; }

    public string? System { get; init; }

    public string Version { get; init; } = "";

    public string State { get; init; } = AgentState.Creating;

    /// <summary>The direct exchange the agent's queues are bound to (Cloudify: the agent's name).</summary>
    public required string RabbitMqExchange { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The agent's own RabbitMQ user (<c>rabbitmq_user_&lt;name&gt;</c>), when the manager made one.</summary>
    public string? RabbitMqUsername { get; init; }

    /// <summary>That user's password, sealed with the manager's secret key; never rendered in lists.</summary>
    public string? RabbitMqPassword { get; init; }

    /// <summary>When the agent process last said it was alive (Stratus; Cloudify pings agents over AMQP instead).</summary>
    public DateTimeOffset? LastHeartbeat { get; init; }
}

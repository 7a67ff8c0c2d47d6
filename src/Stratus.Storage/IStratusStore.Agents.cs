using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Cloudify's <c>PUT /agents/{name}</c>: inserts the agent and returns it. When the name exists in the same tenant
    /// the stored row is returned unchanged, except that an agent not yet bound to a node instance is bound to
    /// <see cref="Agent.NodeInstanceId"/> (a provided agent registers before its host is installed).
    /// <c>conflict_error</c> when the name belongs to another tenant or the agent already serves another instance;
    /// <c>not_found_error</c> for an unknown node instance. Deployment and node are taken from the instance.
    /// </summary>
    Task<AgentRecord> PutAgentAsync(AgentRecord agent, CancellationToken cancellationToken = default);

    /// <summary>The agent of <paramref name="tenantName"/> (of any tenant when null) with this name, or null.</summary>
    Task<AgentRecord?> GetAgentAsync(string? tenantName, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tenant's agents. Filters: id, name, state, install_method (and install_methods), deployment_id (and
    /// deployment), node_id (node_ids, node), node_instance_id (node_instance_ids, host_id), ip, system, version,
    /// visibility, created_by, tenant_name; <c>_search</c> matches the name.
    /// </summary>
    Task<Page<AgentRecord>> ListAgentsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the given fields and <c>updated_at</c>. With <paramref name="expectedStates"/> the state changes only from
    /// one of them (compare-and-set); returns null when the agent does not exist or its state was not expected.
    /// </summary>
    Task<AgentRecord?> UpdateAgentAsync(
        string tenantName, string name, AgentUpdate update, IReadOnlyCollection<string>? expectedStates, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stamps <c>last_heartbeat</c>; an agent marked <c>nonresponsive</c> is <c>started</c> again. Returns the row, or
    /// null when the agent does not exist in the tenant.
    /// </summary>
    Task<AgentRecord?> RecordAgentHeartbeatAsync(string tenantName, string name, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves every <c>started</c> agent whose last heartbeat is before <paramref name="silentSince"/> to
    /// <c>nonresponsive</c> in one statement; returns their names.
    /// </summary>
    Task<IReadOnlyList<string>> MarkSilentAgentsAsync(DateTimeOffset silentSince, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the agent's REST token with <paramref name="tokenHash"/> (a hash of a random secret; the secret is
    /// never stored). Returns false when the agent does not exist in the tenant or is <c>deleted</c>.
    /// </summary>
    Task<bool> SetAgentTokenAsync(string tenantName, string name, string tokenHash, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The agent (of any tenant) whose token hash is <paramref name="tokenHash"/>; null when none or when it is <c>deleted</c>.</summary>
    Task<AgentRecord?> GetAgentByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default);
}

using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string AgentColumns =
        "a.id, a.tenant, a.created_by, a.visibility, a.node_instance_id, a.deployment_id, a.node_id, a.ip, a.install_method, "
        + "a.system, a.version, a.state, a.rabbitmq_exchange, a.created_at, a.updated_at, a.last_heartbeat, "
        + "a.rabbitmq_username, a.rabbitmq_password";

    public async Task<AgentRecord> PutAgentAsync(AgentRecord agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await Dialect.LockResourceIdAsync(session, "agent", agent.Name, cancellationToken);
        string? deploymentId = null, nodeId = null;
        if (agent.NodeInstanceId is { } instanceId)
        {
            var ip = new SqlParameters();
            var instance = await QueryAsync(
                session,
                $"SELECT ni.deployment_id, ni.node_id FROM node_instances ni WHERE ni.tenant = {ip.Add(agent.TenantName)} AND ni.id = {ip.Add(instanceId)}",
                ip,
                r => (Deployment: r.String("deployment_id"), Node: r.String("node_id")),
                cancellationToken);
            if (instance.Count == 0)
            {
                throw StratusException.NotFound($"Requested `NodeInstance` with ID `{instanceId}` was not found");
            }

            (deploymentId, nodeId) = instance[0];
        }

        var p = new SqlParameters();
        var existing = await QueryAsync(session, $"SELECT {AgentColumns} FROM agents a WHERE a.id = {p.Add(agent.Name)}", p, ReadAgent, cancellationToken);
        if (existing.Count == 0)
        {
            var insert = new SqlParameters();
            var sql = "INSERT INTO agents (id, tenant, created_by, visibility, node_instance_id, deployment_id, node_id, ip, install_method, system, "
                + "version, state, rabbitmq_exchange, created_at, updated_at, last_heartbeat) VALUES ("
                + $"{insert.Add(agent.Name)}, {insert.Add(agent.TenantName)}, {insert.Add(agent.CreatedBy)}, {insert.Add(agent.Visibility)}, "
                + $"{insert.Add(agent.NodeInstanceId)}, {insert.Add(deploymentId)}, {insert.Add(nodeId)}, {insert.Add(agent.Ip)}, "
                + $"{insert.Add(agent.InstallMethod)}, {insert.Add(agent.System)}, {insert.Add(agent.Version)}, {insert.Add(agent.State)}, "
                + $"{insert.Add(agent.RabbitMqExchange)}, {insert.Add(agent.CreatedAt)}, {insert.Add(agent.UpdatedAt)}, {insert.Add(agent.LastHeartbeat)})";
            await ExecuteAsync(session, sql, insert, cancellationToken);
            await session.CommitAsync(cancellationToken);
            return agent with { DeploymentId = deploymentId, NodeId = nodeId };
        }

        var stored = existing[0];
        if (stored.TenantName != agent.TenantName)
        {
            throw StratusException.Conflict($"AgentRecord name `{agent.Name}` is already used by another tenant; agent names are unique on a manager");
        }

        if (agent.NodeInstanceId is null || stored.NodeInstanceId == agent.NodeInstanceId)
        {
            return stored;
        }

        if (stored.NodeInstanceId is not null)
        {
            throw StratusException.Conflict(
                $"AgentRecord `{agent.Name}` already serves node instance `{stored.NodeInstanceId}` and cannot serve `{agent.NodeInstanceId}` too");
        }

        var bind = new SqlParameters();
        // The agent process registered itself first: the install now names the instance it serves and how it came.
        await ExecuteAsync(
            session,
            $"UPDATE agents SET node_instance_id = {bind.Add(agent.NodeInstanceId)}, deployment_id = {bind.Add(deploymentId)}, "
            + $"node_id = {bind.Add(nodeId)}, install_method = {bind.Add(agent.InstallMethod)}, updated_at = {bind.Add(agent.UpdatedAt ?? agent.CreatedAt)} "
            + $"WHERE id = {bind.Add(agent.Name)} AND node_instance_id IS NULL",
            bind,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return stored with
        {
            NodeInstanceId = agent.NodeInstanceId,
            DeploymentId = deploymentId,
            NodeId = nodeId,
            InstallMethod = agent.InstallMethod,
            UpdatedAt = agent.UpdatedAt ?? agent.CreatedAt,
        };
    }

    public Task<AgentRecord?> GetAgentAsync(string? tenantName, string name, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var tenant = tenantName is null ? "" : $" AND a.tenant = {p.Add(tenantName)}";
        return ReadOneAsync($"SELECT {AgentColumns} FROM agents a WHERE a.id = {p.Add(name)}{tenant}", p, ReadAgent, cancellationToken);
    }

    public Task<Page<AgentRecord>> ListAgentsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var p = new SqlParameters();
        return PageAsync(FieldMaps.Agents, AgentColumns, "agents a", InTenants(p, "a.tenant", tenantName, query), p, query, ReadAgent, cancellationToken);
    }

    public async Task<AgentRecord?> UpdateAgentAsync(
        string tenantName, string name, AgentUpdate update, IReadOnlyCollection<string>? expectedStates, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var set = $"updated_at = {p.Add(at)}";
        if (update.State is { } state)
        {
            set += $", state = {p.Add(state)}";
            if (state == AgentState.Deleted)
            {
                // A deleted agent's REST token dies with it.
                set += ", token_hash = NULL";
            }
        }

        if (update.System is { } system)
        {
            set += $", system = {p.Add(system)}";
        }

        if (update.Version is { } version)
        {
            set += $", version = {p.Add(version)}";
        }

        if (update.Ip is { } ipAddress)
        {
            set += $", ip = {p.Add(ipAddress)}";
        }

        var where = $"id = {p.Add(name)} AND tenant = {p.Add(tenantName)}";
        if (expectedStates is { Count: > 0 })
        {
            where += $" AND state IN ({string.Join(", ", expectedStates.Select(s => p.Add(s)))})";
        }

        var changed = await ExecuteAsync(session, $"UPDATE agents SET {set} WHERE {where}", p, cancellationToken);
        var read = new SqlParameters();
        var rows = changed == 0
            ? []
            : await QueryAsync(session, $"SELECT {AgentColumns} FROM agents a WHERE a.id = {read.Add(name)}", read, ReadAgent, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<AgentRecord?> RecordAgentHeartbeatAsync(string tenantName, string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE agents SET last_heartbeat = {p.Add(at)}, "
            + $"state = CASE WHEN state = {p.Add(AgentState.NonResponsive)} THEN {p.Add(AgentState.Started)} ELSE state END "
            + $"WHERE id = {p.Add(name)} AND tenant = {p.Add(tenantName)}",
            p,
            cancellationToken);
        var read = new SqlParameters();
        var rows = changed == 0
            ? []
            : await QueryAsync(session, $"SELECT {AgentColumns} FROM agents a WHERE a.id = {read.Add(name)}", read, ReadAgent, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<IReadOnlyList<string>> MarkSilentAgentsAsync(DateTimeOffset silentSince, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var names = await QueryAsync(
            session,
            $"UPDATE agents SET state = {p.Add(AgentState.NonResponsive)}, updated_at = {p.Add(at)} "
            + $"WHERE state = {p.Add(AgentState.Started)} AND last_heartbeat < {p.Add(silentSince)} RETURNING id",
            p,
            r => r.String("id"),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return names;
    }

    public async Task<bool> SetAgentTokenAsync(string tenantName, string name, string tokenHash, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE agents SET token_hash = {p.Add(tokenHash)}, updated_at = {p.Add(at)} "
            + $"WHERE id = {p.Add(name)} AND tenant = {p.Add(tenantName)} AND state <> {p.Add(AgentState.Deleted)}",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public Task<AgentRecord?> GetAgentByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {AgentColumns} FROM agents a WHERE a.token_hash = {p.Add(tokenHash)} AND a.state <> {p.Add(AgentState.Deleted)}",
            p,
            ReadAgent,
            cancellationToken);
    }

    private static AgentRecord ReadAgent(Row row) => new()
    {
        Name = row.String("id"),
        TenantName = row.String("tenant"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        NodeInstanceId = row.NullableString("node_instance_id"),
        DeploymentId = row.NullableString("deployment_id"),
        NodeId = row.NullableString("node_id"),
        Ip = row.NullableString("ip"),
        InstallMethod = row.String("install_method"),
        System = row.NullableString("system"),
        Version = row.String("version"),
        State = row.String("state"),
        RabbitMqExchange = row.String("rabbitmq_exchange"),
        CreatedAt = row.Timestamp("created_at"),
        UpdatedAt = row.NullableTimestamp("updated_at"),
        LastHeartbeat = row.NullableTimestamp("last_heartbeat"),
        RabbitMqUsername = row.NullableString("rabbitmq_username"),
        RabbitMqPassword = row.NullableString("rabbitmq_password"),
    };
}

using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string NodeColumns =
        "n.tenant, n.deployment_id, n.id, n.blueprint_id, n.created_by, n.visibility, n.type, n.type_hierarchy, n.properties, "
        + "n.operations, n.relationships, n.plugins, n.plugins_to_install, n.host_id, n.number_of_instances, "
        + "n.planned_number_of_instances, n.deploy_number_of_instances, n.min_number_of_instances, n.max_number_of_instances";

    private const string NodeInstanceColumns =
        "ni.tenant, ni.id, ni.node_id, ni.deployment_id, ni.created_by, ni.visibility, ni.host_id, ni.instance_index, "
        + "ni.relationships, ni.runtime_properties, ni.system_properties, ni.scaling_groups, ni.state, ni.version";

    public Task<Node?> GetNodeAsync(string tenantName, string deploymentId, string nodeId, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {NodeColumns} FROM nodes n WHERE n.tenant = {p.Add(tenantName)} AND n.deployment_id = {p.Add(deploymentId)} "
                + $"AND n.id = {p.Add(nodeId)}",
            p,
            ReadNode,
            cancellationToken);
    }

    public Task<Page<Node>> ListNodesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(FieldMaps.Nodes, NodeColumns, "nodes n", InTenants(p, "n.tenant", tenantName, query), p, query, ReadNode, cancellationToken);
    }

    public Task<NodeInstance?> GetNodeInstanceAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {NodeInstanceColumns} FROM node_instances ni WHERE ni.tenant = {p.Add(tenantName)} AND ni.id = {p.Add(id)}",
            p,
            ReadNodeInstance,
            cancellationToken);
    }

    public Task<Page<NodeInstance>> ListNodeInstancesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(
            FieldMaps.NodeInstances, NodeInstanceColumns, "node_instances ni", InTenants(p, "ni.tenant", tenantName, query), p, query, ReadNodeInstance, cancellationToken);
    }

    public async Task<NodeInstance> UpdateNodeInstanceAsync(
        string tenantName,
        string id,
        NodeInstanceUpdate update,
        long? expectedVersion,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var p = new SqlParameters();
        var sets = new List<string>();
        if (update.State is not null)
        {
            sets.Add($"state = {p.Add(update.State)}");
        }

        if (update.RuntimeProperties is not null)
        {
            sets.Add($"runtime_properties = {p.AddJson(JsonColumn.Write(update.RuntimeProperties))}");
        }

        if (update.SystemProperties is not null)
        {
            sets.Add($"system_properties = {p.AddJson(JsonColumn.Write(update.SystemProperties))}");
        }

        sets.Add("version = version + 1");
        var key = $"tenant = {p.Add(tenantName)} AND id = {p.Add(id)}";

        // The version test is part of the UPDATE itself: PostgreSQL re-evaluates it on the locked row after a
        // concurrent writer commits, SQLite runs it under the writer gate; either way two racers cannot both pass.
        var guard = expectedVersion is { } expected ? $" AND version <= {p.Add(expected)}" : "";
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var changed = await ExecuteAsync(session, $"UPDATE node_instances SET {string.Join(", ", sets)} WHERE {key}{guard}", p, cancellationToken);
        var kp = new SqlParameters();
        var rows = await QueryAsync(
            session,
            $"SELECT {NodeInstanceColumns} FROM node_instances ni WHERE ni.tenant = {kp.Add(tenantName)} AND ni.id = {kp.Add(id)}",
            kp,
            ReadNodeInstance,
            cancellationToken);
        if (rows.Count == 0)
        {
            throw NotFound("NodeInstance", id);
        }

        if (changed == 0)
        {
            throw StratusException.Conflict(
                $"Node instance update conflict [current version={rows[0].Version}, update version={expectedVersion}]");
        }

        await session.CommitAsync(cancellationToken);
        return rows[0];
    }

    public async Task SetNodeInstanceStatesAsync(
        string tenantName,
        IReadOnlyList<(string Id, string State)> states,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return;
        }

        // Like every applied update this bumps the version (Cloudify's ORM does the same), so an agent holding a
        // copy read before the engine moved the state gets a conflict instead of silently undoing the move.
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        if (Dialect.PrefersSingleRowStatements)
        {
            // Ids are distinct (the engine keeps one state per instance per flush), as the CASE form below assumes.
            await ExecuteEachAsync(
                session,
                states,
                (s, p) => $"UPDATE node_instances SET state = {p.Add(s.State)}, version = version + 1 "
                    + $"WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(s.Id)}",
                cancellationToken);
        }
        else
        {
            foreach (var chunk in states.Chunk(BatchRows))
            {
                var p = new SqlParameters();
                var cases = string.Join(" ", chunk.Select(s => $"WHEN {p.Add(s.Id)} THEN {p.Add(s.State)}"));
                var ids = p.AddList(chunk.Select(s => (object?)s.Id));
                await ExecuteAsync(
                    session,
                    $"UPDATE node_instances SET state = CASE id {cases} END, version = version + 1 "
                        + $"WHERE tenant = {p.Add(tenantName)} AND id IN ({ids})",
                    p,
                    cancellationToken);
            }
        }

        await session.CommitAsync(cancellationToken);
    }

    private static Node ReadNode(Row row) => new()
    {
        TenantName = row.String("tenant"),
        DeploymentId = row.String("deployment_id"),
        Id = row.String("id"),
        BlueprintId = row.String("blueprint_id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        Type = row.String("type"),
        TypeHierarchy = row.Strings("type_hierarchy"),
        Properties = row.Object("properties"),
        Operations = row.Object("operations"),
        Relationships = row.Array("relationships"),
        Plugins = row.Array("plugins"),
        PluginsToInstall = row.Array("plugins_to_install"),
        HostId = row.NullableString("host_id"),
        NumberOfInstances = row.Int("number_of_instances"),
        PlannedNumberOfInstances = row.Int("planned_number_of_instances"),
        DeployNumberOfInstances = row.Int("deploy_number_of_instances"),
        MinNumberOfInstances = row.Int("min_number_of_instances"),
        MaxNumberOfInstances = row.Int("max_number_of_instances"),
    };

    private static NodeInstance ReadNodeInstance(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        NodeId = row.String("node_id"),
        DeploymentId = row.String("deployment_id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        HostId = row.NullableString("host_id"),
        Index = row.Int("instance_index"),
        Relationships = row.Array("relationships"),
        RuntimeProperties = row.Object("runtime_properties"),
        SystemProperties = row.NullableObject("system_properties"),
        ScalingGroups = row.Array("scaling_groups"),
        State = row.String("state"),
        Version = row.Long("version"),
    };
}

using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string ModificationColumns =
        "m.tenant, m.id, m.deployment_id, m.created_by, m.visibility, m.status, m.created_at, m.ended_at, m.modified_nodes, "
        + "m.node_instances, m.context";

    public async Task InsertDeploymentModificationAsync(DeploymentModificationStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var m = start.Modification;
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await LockDeploymentAsync(session, m.TenantName, m.DeploymentId, cancellationToken);

        var sp = new SqlParameters();
        var started = await QueryAsync(
            session,
            $"SELECT id FROM deployment_modifications WHERE tenant = {sp.Add(m.TenantName)} AND deployment_id = {sp.Add(m.DeploymentId)} "
                + $"AND status = {sp.Add(DeploymentModificationStatus.Started)} ORDER BY id",
            sp,
            r => r.String("id"),
            cancellationToken);
        if (started.Count > 0)
        {
            throw new StratusException(
                ErrorCodes.ExistingStartedDeploymentModification,
                400,
                "Cannot start deployment modification while there are existing started deployment modifications. "
                    + $"Currently started deployment modifications: [{string.Join(", ", started.Select(id => $"'{id}'"))}]");
        }

        var ip = new SqlParameters();
        var ids = await QueryAsync(
            session,
            $"SELECT id FROM node_instances WHERE tenant = {ip.Add(m.TenantName)} AND deployment_id = {ip.Add(m.DeploymentId)}",
            ip,
            r => r.String("id"),
            cancellationToken);
        if (!start.ExpectedInstanceIds.SetEquals(ids))
        {
            throw StratusException.Conflict(
                $"The node instances of deployment {m.DeploymentId} changed while the modification was computed; start it again");
        }

        var p = new SqlParameters();
        await ExecuteAsync(
            session,
            "INSERT INTO deployment_modifications (tenant, id, deployment_id, created_by, visibility, status, created_at, ended_at, "
                + "modified_nodes, node_instances, context) VALUES ("
                + $"{p.Add(m.TenantName)}, {p.Add(m.Id)}, {p.Add(m.DeploymentId)}, {p.Add(m.CreatedBy)}, {p.Add(m.Visibility)}, "
                + $"{p.Add(m.Status)}, {p.Add(m.CreatedAt)}, {p.Add(m.EndedAt)}, {p.AddJson(JsonColumn.Write(m.ModifiedNodes))}, "
                + $"{p.AddJson(JsonColumn.Write(m.NodeInstances))}, {p.AddJson(JsonColumn.Write(m.Context))})",
            p,
            cancellationToken);
        await InsertNodeInstancesAsync(session, m.TenantName, start.AddedInstances, cancellationToken);
        await ExecuteEachAsync(
            session,
            [.. start.Relationships],
            (kv, q) => $"UPDATE node_instances SET relationships = {q.AddJson(JsonColumn.Write(kv.Value))}, version = version + 1 "
                + $"WHERE tenant = {q.Add(m.TenantName)} AND id = {q.Add(kv.Key)}",
            cancellationToken);
        await ExecuteEachAsync(
            session,
            [.. start.PlannedNodeInstances],
            (kv, q) => $"UPDATE nodes SET planned_number_of_instances = {q.Add(kv.Value)} "
                + $"WHERE tenant = {q.Add(m.TenantName)} AND deployment_id = {q.Add(m.DeploymentId)} AND id = {q.Add(kv.Key)}",
            cancellationToken);
        await SetScalingGroupsAsync(session, m.TenantName, m.DeploymentId, start.ScalingGroups, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public Task<DeploymentModification?> GetDeploymentModificationAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {ModificationColumns} FROM deployment_modifications m WHERE m.tenant = {p.Add(tenantName)} AND m.id = {p.Add(id)}",
            p,
            ReadModification,
            cancellationToken);
    }

    public Task<Page<DeploymentModification>> ListDeploymentModificationsAsync(
        string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(
            FieldMaps.DeploymentModifications,
            ModificationColumns,
            "deployment_modifications m",
            $"m.tenant = {p.Add(tenantName)}",
            p,
            query,
            ReadModification,
            cancellationToken);
    }

    public async Task<DeploymentModification> EndDeploymentModificationAsync(DeploymentModificationEnd end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(end);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var kp = new SqlParameters();
        var key = $"m.tenant = {kp.Add(end.TenantName)} AND m.id = {kp.Add(end.Id)}";
        var rows = await QueryAsync(session, $"SELECT {ModificationColumns} FROM deployment_modifications m WHERE {key}", kp, ReadModification, cancellationToken);
        if (rows.Count == 0)
        {
            throw NotFound("DeploymentModification", end.Id);
        }

        var current = rows[0];
        await LockDeploymentAsync(session, end.TenantName, current.DeploymentId, cancellationToken);
        var p = new SqlParameters();
        var sets = $"status = {p.Add(end.Status)}, ended_at = {p.Add(end.EndedAt)}"
            + (end.NodeInstances is null ? "" : $", node_instances = {p.AddJson(JsonColumn.Write(end.NodeInstances))}");

        // Checkpoint: the status moves only from started, in the transaction that applies the instance changes, so a
        // modification is finished or rolled back exactly once, with all of its changes or none.
        var changed = await ExecuteAsync(
            session,
            $"UPDATE deployment_modifications SET {sets} WHERE tenant = {p.Add(end.TenantName)} AND id = {p.Add(end.Id)} "
                + $"AND status = {p.Add(DeploymentModificationStatus.Started)}",
            p,
            cancellationToken);
        if (changed == 0)
        {
            var ended = await QueryAsync(session, $"SELECT {ModificationColumns} FROM deployment_modifications m WHERE {key}", kp, ReadModification, cancellationToken);
            var verb = end.Status == DeploymentModificationStatus.Finished ? "finish" : "rollback";
            throw new StratusException(
                ErrorCodes.DeploymentModificationAlreadyEnded,
                400,
                $"Cannot {verb} deployment modification: {end.Id}. It is already in {ended[0].Status} status.");
        }

        var tenant = end.TenantName;
        var deploymentId = current.DeploymentId;
        foreach (var chunk in end.DeleteInstanceIds.Chunk(BatchRows))
        {
            var dp = new SqlParameters();
            await ExecuteAsync(
                session,
                $"DELETE FROM node_instances WHERE tenant = {dp.Add(tenant)} AND deployment_id = {dp.Add(deploymentId)} "
                    + $"AND id IN ({dp.AddList(chunk.Select(id => (object?)id))})",
                dp,
                cancellationToken);
        }

        await RemoveRelationshipsAsync(session, tenant, end.RemoveRelationshipsTo, cancellationToken);
        await RestoreInstancesAsync(session, end.RestoreInstances, cancellationToken);
        await ExecuteEachAsync(
            session,
            [.. end.NodeInstanceCounts],
            (kv, q) => $"UPDATE nodes SET number_of_instances = {q.Add(kv.Value)} "
                + $"WHERE tenant = {q.Add(tenant)} AND deployment_id = {q.Add(deploymentId)} AND id = {q.Add(kv.Key)}",
            cancellationToken);
        await ExecuteEachAsync(
            session,
            end.ResetPlannedNodes,
            (id, q) => "UPDATE nodes SET planned_number_of_instances = number_of_instances "
                + $"WHERE tenant = {q.Add(tenant)} AND deployment_id = {q.Add(deploymentId)} AND id = {q.Add(id)}",
            cancellationToken);
        await SetScalingGroupsAsync(session, tenant, deploymentId, end.ScalingGroups, cancellationToken);
        var result = await QueryAsync(session, $"SELECT {ModificationColumns} FROM deployment_modifications m WHERE {key}", kp, ReadModification, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return result[0];
    }

    private async Task LockDeploymentAsync(WriteSession session, string tenantName, string deploymentId, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var found = await QueryAsync(
            session,
            $"SELECT id FROM deployments WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(deploymentId)}{Dialect.ForUpdate}",
            p,
            r => r.String("id"),
            cancellationToken);
        if (found.Count == 0)
        {
            throw NotFound("Deployment", deploymentId);
        }
    }

    private async Task SetScalingGroupsAsync(
        WriteSession session, string tenantName, string deploymentId, JsonObject? scalingGroups, CancellationToken cancellationToken)
    {
        if (scalingGroups is null)
        {
            return;
        }

        var p = new SqlParameters();
        await ExecuteAsync(
            session,
            $"UPDATE deployments SET scaling_groups = {p.AddJson(JsonColumn.Write(scalingGroups))}, updated_at = {p.Add(Now())} "
                + $"WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(deploymentId)}",
            p,
            cancellationToken);
    }

    /// <summary>Reads the instances' relationships in the transaction and writes them back without the given targets.</summary>
    private async Task RemoveRelationshipsAsync(
        WriteSession session, string tenantName, IReadOnlyDictionary<string, IReadOnlySet<string>> removals, CancellationToken cancellationToken)
    {
        if (removals.Count == 0)
        {
            return;
        }

        var updates = new List<(string Id, JsonArray Relationships)>();
        foreach (var chunk in removals.Keys.Chunk(BatchRows))
        {
            var p = new SqlParameters();
            var rows = await QueryAsync(
                session,
                $"SELECT id, relationships FROM node_instances WHERE tenant = {p.Add(tenantName)} AND id IN ({p.AddList(chunk.Select(id => (object?)id))})",
                p,
                r => (Id: r.String("id"), Relationships: r.Array("relationships")),
                cancellationToken);
            foreach (var (id, relationships) in rows)
            {
                var gone = removals[id];
                var kept = relationships.Where(rel => rel?["target_id"]?.GetValue<string>() is not { } t || !gone.Contains(t)).Select(rel => rel?.DeepClone());
                updates.Add((id, new JsonArray([.. kept])));
            }
        }

        await ExecuteEachAsync(
            session,
            updates,
            (u, q) => $"UPDATE node_instances SET relationships = {q.AddJson(JsonColumn.Write(u.Relationships))}, version = version + 1 "
                + $"WHERE tenant = {q.Add(tenantName)} AND id = {q.Add(u.Id)}",
            cancellationToken);
    }

    private async Task RestoreInstancesAsync(WriteSession session, IReadOnlyList<NodeInstance> instances, CancellationToken cancellationToken)
    {
        var missing = new List<NodeInstance>();
        foreach (var i in instances)
        {
            var p = new SqlParameters();
            var updated = await ExecuteAsync(
                session,
                $"UPDATE node_instances SET node_id = {p.Add(i.NodeId)}, host_id = {p.Add(i.HostId)}, instance_index = {p.Add(i.Index)}, "
                    + $"relationships = {p.AddJson(JsonColumn.Write(i.Relationships))}, runtime_properties = {p.AddJson(JsonColumn.Write(i.RuntimeProperties))}, "
                    + $"system_properties = {p.AddJson(JsonColumn.WriteNullable(i.SystemProperties))}, scaling_groups = {p.AddJson(JsonColumn.Write(i.ScalingGroups))}, "
                    + $"state = {p.Add(i.State)}, version = version + 1 "
                    + $"WHERE tenant = {p.Add(i.TenantName)} AND id = {p.Add(i.Id)} AND deployment_id = {p.Add(i.DeploymentId)}",
                p,
                cancellationToken);
            if (updated == 0)
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            await InsertNodeInstancesAsync(session, missing[0].TenantName, missing, cancellationToken);
        }
    }

    private static DeploymentModification ReadModification(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        DeploymentId = row.String("deployment_id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        Status = row.String("status"),
        CreatedAt = row.Timestamp("created_at"),
        EndedAt = row.NullableTimestamp("ended_at"),
        ModifiedNodes = row.Object("modified_nodes"),
        NodeInstances = row.Object("node_instances"),
        Context = row.Object("context"),
    };
}

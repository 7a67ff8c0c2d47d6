using System.Data.Common;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string DeploymentColumns =
        "d.tenant, d.id, d.created_by, d.visibility, d.created_at, d.updated_at, d.blueprint_id, d.display_name, "
        + "d.description, d.inputs, d.outputs, d.capabilities, d.node_groups, d.scaling_groups, d.policies, d.workflows, "
        + "d.installation_status, d.deployment_status, d.latest_execution_id, d.create_execution_id, d.runtime_only_evaluation";

    public Task InsertDeploymentAsync(
        Deployment deployment,
        IReadOnlyList<Node> nodes,
        IReadOnlyList<NodeInstance> nodeInstances,
        CancellationToken cancellationToken = default) =>
        InsertDeploymentAsync(deployment, nodes, nodeInstances, [], cancellationToken);

    public async Task InsertDeploymentAsync(
        Deployment deployment,
        IReadOnlyList<Node> nodes,
        IReadOnlyList<NodeInstance> nodeInstances,
        IReadOnlyList<InterDeploymentDependency> dependencies,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(dependencies);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(nodeInstances);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);

        var bp = new SqlParameters();
        var blueprint = await QueryAsync(
            session,
            $"SELECT id FROM blueprints WHERE tenant = {bp.Add(deployment.TenantName)} AND id = {bp.Add(deployment.BlueprintId)}{Dialect.ForShare}",
            bp,
            r => r.String("id"),
            cancellationToken);
        if (blueprint.Count == 0)
        {
            throw NotFound("Blueprint", deployment.BlueprintId);
        }

        var p = new SqlParameters();
        var sql = "INSERT INTO deployments (tenant, id, created_by, visibility, created_at, updated_at, blueprint_id, display_name, "
            + "description, inputs, outputs, capabilities, node_groups, scaling_groups, policies, workflows, installation_status, "
            + "deployment_status, latest_execution_id, create_execution_id, runtime_only_evaluation) VALUES ("
            + $"{p.Add(deployment.TenantName)}, {p.Add(deployment.Id)}, {p.Add(deployment.CreatedBy)}, {p.Add(deployment.Visibility)}, "
            + $"{p.Add(deployment.CreatedAt)}, {p.Add(deployment.UpdatedAt)}, {p.Add(deployment.BlueprintId)}, "
            + $"{p.Add(deployment.DisplayName)}, {p.Add(deployment.Description)}, {p.AddJson(JsonColumn.Write(deployment.Inputs))}, "
            + $"{p.AddJson(JsonColumn.Write(deployment.Outputs))}, {p.AddJson(JsonColumn.Write(deployment.Capabilities))}, "
            + $"{p.AddJson(JsonColumn.Write(deployment.Groups))}, {p.AddJson(JsonColumn.Write(deployment.ScalingGroups))}, "
            + $"{p.AddJson(JsonColumn.Write(deployment.Policies))}, {p.AddJson(JsonColumn.Write(deployment.Workflows))}, "
            + $"{p.Add(deployment.InstallationStatus)}, {p.Add(deployment.DeploymentStatus)}, {p.Add(deployment.LatestExecutionId)}, "
            + $"{p.Add(deployment.CreateExecutionId)}, {p.Add(deployment.RuntimeOnlyEvaluation)}) ON CONFLICT (tenant, id) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw Duplicate("Deployment", deployment.Id, deployment.TenantName);
        }

        await InsertNodesAsync(session, nodes, cancellationToken);
        await InsertNodeInstancesAsync(session, deployment.TenantName, nodeInstances, cancellationToken);
        await InsertDependencyRowsAsync(session, deployment.TenantName, dependencies, cancellationToken);
        var labels = deployment.Labels.Where(l => l.Key != ResourceLabel.ConsumerKey).ToList();
        await InsertLabelsAsync(session, DeploymentLabels, deployment.TenantName, deployment.Id, labels, cancellationToken);
        await LinkToParentsAsync(
            session, deployment.TenantName, deployment.Id, [.. labels.Where(l => l.Key == ResourceLabel.ParentKey)], cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public Task<Deployment?> GetDeploymentAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {DeploymentColumns} FROM deployments d WHERE d.tenant = {p.Add(tenantName)} AND d.id = {p.Add(id)}",
            p,
            ReadDeployment,
            async (c, t, d) => (await WithLabelsAsync(c, t, [d], cancellationToken))[0],
            cancellationToken);
    }

    public Task<Page<Deployment>> ListDeploymentsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(
            FieldMaps.Deployments,
            DeploymentColumns,
            "deployments d",
            InTenants(p, "d.tenant", tenantName, query),
            p,
            query,
            ReadDeployment,
            cancellationToken,
            (c, t, items) => WithLabelsAsync(c, t, items, cancellationToken));
    }

    public async Task UpdateDeploymentStatusAsync(
        string tenantName,
        string id,
        string? installationStatus,
        string? deploymentStatus,
        string? latestExecutionId,
        CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var sets = new List<string> { $"updated_at = {p.Add(Now())}" };
        if (installationStatus is not null)
        {
            sets.Add($"installation_status = {p.Add(installationStatus)}");
        }

        if (deploymentStatus is not null)
        {
            sets.Add($"deployment_status = {p.Add(deploymentStatus)}");
        }

        if (latestExecutionId is not null)
        {
            sets.Add($"latest_execution_id = {p.Add(latestExecutionId)}");
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var sql = $"UPDATE deployments SET {string.Join(", ", sets)} WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(id)}";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw NotFound("Deployment", id);
        }

        await session.CommitAsync(cancellationToken);
    }

    public Task<bool> DeleteDeploymentAsync(string tenantName, string id, CancellationToken cancellationToken = default) =>
        DeleteDeploymentAsync(tenantName, id, force: false, cancellationToken);

    public async Task<bool> DeleteDeploymentAsync(string tenantName, string id, bool force, CancellationToken cancellationToken = default)
    {
        // Nodes, instances, executions and (through them) graphs, operations and events go with the row: every child
        // table references its parent with ON DELETE CASCADE, so the delete is one statement and all or nothing.
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        if (!await DeleteDeploymentAsync(session, tenantName, id, force, cancellationToken))
        {
            return false;
        }

        await session.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The checks and deletes of <see cref="DeleteDeploymentAsync(string, string, bool, CancellationToken)"/> inside a caller's transaction.</summary>
    private async Task<bool> DeleteDeploymentAsync(WriteSession session, string tenantName, string id, bool force, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var key = $"tenant = {p.Add(tenantName)} AND id = {p.Add(id)}";
        var exists = await QueryAsync(session, $"SELECT id FROM deployments WHERE {key}{Dialect.ForUpdate}", p, r => r.String("id"), cancellationToken);
        if (exists.Count == 0)
        {
            return false;
        }

        // Checked under the same lock InsertExecutionAsync takes (row lock / writer gate): an execution started after
        // the caller's own check must not be cascaded away while the engine runs it.
        var ep = new SqlParameters();
        var running = await QueryAsync(
            session,
            $"SELECT id FROM executions WHERE tenant = {ep.Add(tenantName)} AND deployment_id = {ep.Add(id)} "
                + $"AND status IN ({ep.AddList([.. ExecutionStatus.ActiveStates, .. ExecutionStatus.WaitingStates])}) ORDER BY id",
            ep,
            r => r.String("id"),
            cancellationToken);
        if (running.Count > 0)
        {
            throw StratusException.DependentExists(
                $"Can't delete deployment {id} - There are running or queued executions for this deployment. Running executions ids: {string.Join(",", running)}");
        }

        await ReleaseDependentsAsync(session, tenantName, id, force, cancellationToken);
        // The parents it was a consumer of lose their label naming it; its graph edges go with the row (cascade).
        var cp = new SqlParameters();
        await ExecuteAsync(
            session,
            $"DELETE FROM {DeploymentLabels.Table} WHERE tenant = {cp.Add(tenantName)} AND key = {cp.Add(ResourceLabel.ConsumerKey)} "
                + $"AND value = {cp.Add(id)} AND deployment_id IN (SELECT target_deployment_id FROM deployment_labels_dependencies "
                + $"WHERE tenant = {cp.Add(tenantName)} AND source_deployment_id = {cp.Add(id)})",
            cp,
            cancellationToken);
        await ExecuteAsync(session, $"DELETE FROM deployments WHERE {key}", p, cancellationToken);
        await DeleteResourceFilesAsync(session, tenantName, id, [ResourceKinds.Deployment], cancellationToken);
        return true;
    }

    private Task InsertNodesAsync(WriteSession session, IReadOnlyList<Node> nodes, CancellationToken cancellationToken) =>
        InsertBatchedAsync(
            session,
            "INSERT INTO nodes (tenant, deployment_id, id, blueprint_id, created_by, visibility, type, type_hierarchy, properties, "
                + "operations, relationships, plugins, plugins_to_install, host_id, number_of_instances, planned_number_of_instances, "
                + "deploy_number_of_instances, min_number_of_instances, max_number_of_instances)",
            nodes,
            (n, p) => $"({p.Add(n.TenantName)}, {p.Add(n.DeploymentId)}, {p.Add(n.Id)}, {p.Add(n.BlueprintId)}, {p.Add(n.CreatedBy)}, "
                + $"{p.Add(n.Visibility)}, {p.Add(n.Type)}, {p.AddJson(JsonColumn.WriteStrings(n.TypeHierarchy))}, "
                + $"{p.AddJson(JsonColumn.Write(n.Properties))}, {p.AddJson(JsonColumn.Write(n.Operations))}, "
                + $"{p.AddJson(JsonColumn.Write(n.Relationships))}, {p.AddJson(JsonColumn.Write(n.Plugins))}, "
                + $"{p.AddJson(JsonColumn.Write(n.PluginsToInstall))}, {p.Add(n.HostId)}, {p.Add(n.NumberOfInstances)}, "
                + $"{p.Add(n.PlannedNumberOfInstances)}, {p.Add(n.DeployNumberOfInstances)}, {p.Add(n.MinNumberOfInstances)}, "
                + $"{p.Add(n.MaxNumberOfInstances)})",
            cancellationToken);

    private async Task InsertNodeInstancesAsync(
        WriteSession session,
        string tenantName,
        IReadOnlyList<NodeInstance> instances,
        CancellationToken cancellationToken)
    {
        // Instance ids are unique per tenant, not per deployment: report a clash by name instead of a constraint error.
        for (var start = 0; start < instances.Count; start += BatchRows)
        {
            var p = new SqlParameters();
            var ids = instances.Skip(start).Take(BatchRows).Select(i => (object?)i.Id);
            var taken = await QueryAsync(
                session,
                $"SELECT id FROM node_instances WHERE tenant = {p.Add(tenantName)} AND id IN ({p.AddList(ids)}) ORDER BY id",
                p,
                r => r.String("id"),
                cancellationToken);
            if (taken.Count > 0)
            {
                throw Duplicate("NodeInstance", taken[0], tenantName);
            }
        }

        await InsertBatchedAsync(
            session,
            "INSERT INTO node_instances (tenant, id, node_id, deployment_id, created_by, visibility, host_id, instance_index, "
                + "relationships, runtime_properties, system_properties, scaling_groups, state, version)",
            instances,
            (i, p) => $"({p.Add(i.TenantName)}, {p.Add(i.Id)}, {p.Add(i.NodeId)}, {p.Add(i.DeploymentId)}, {p.Add(i.CreatedBy)}, "
                + $"{p.Add(i.Visibility)}, {p.Add(i.HostId)}, {p.Add(i.Index)}, {p.AddJson(JsonColumn.Write(i.Relationships))}, "
                + $"{p.AddJson(JsonColumn.Write(i.RuntimeProperties))}, {p.AddJson(JsonColumn.WriteNullable(i.SystemProperties))}, "
                + $"{p.AddJson(JsonColumn.Write(i.ScalingGroups))}, {p.Add(i.State)}, {p.Add(i.Version)})",
            cancellationToken);
    }

    private async Task<List<Deployment>> WithLabelsAsync(
        DbConnection connection, DbTransaction transaction, List<Deployment> deployments, CancellationToken cancellationToken)
    {
        if (deployments.Count == 0)
        {
            return deployments;
        }

        var labels = await ReadLabelsByTenantAsync(connection, transaction, DeploymentLabels, [.. deployments.Select(d => (d.TenantName, d.Id))], cancellationToken);
        return [.. deployments.Select(d => labels[d.TenantName].Contains(d.Id) ? d with { Labels = LabelsOf(labels[d.TenantName], d.Id) } : d)];
    }

    private static Deployment ReadDeployment(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        CreatedAt = row.Timestamp("created_at"),
        UpdatedAt = row.Timestamp("updated_at"),
        BlueprintId = row.String("blueprint_id"),
        DisplayName = row.String("display_name"),
        Description = row.NullableString("description"),
        Inputs = row.Object("inputs"),
        Outputs = row.Object("outputs"),
        Capabilities = row.Object("capabilities"),
        Groups = row.Object("node_groups"),
        ScalingGroups = row.Object("scaling_groups"),
        Policies = row.Object("policies"),
        Workflows = row.Object("workflows"),
        InstallationStatus = row.String("installation_status"),
        DeploymentStatus = row.String("deployment_status"),
        LatestExecutionId = row.NullableString("latest_execution_id"),
        CreateExecutionId = row.NullableString("create_execution_id"),
        RuntimeOnlyEvaluation = row.Bool("runtime_only_evaluation"),
    };
}

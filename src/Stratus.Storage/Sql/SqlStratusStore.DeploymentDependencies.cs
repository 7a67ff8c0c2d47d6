using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string DependencyColumns =
        "idd.tenant, idd.id, idd.created_by, idd.visibility, idd.created_at, idd.dependency_creator, idd.source_deployment_id, "
        + "idd.target_deployment_id, idd.target_deployment_func, idd.external_source, idd.external_target";

    /// <summary>Workflows whose run on a dependent deployment lets its targets go (Cloudify's _get_blocking_dependencies).</summary>
    private static readonly string[] ReleasingWorkflows = ["stop", "uninstall", "update", "csys_new_deployment_update", "heal"];

    public async Task InsertDependenciesAsync(
        string tenantName, IReadOnlyList<InterDeploymentDependency> dependencies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await InsertDependencyRowsAsync(session, tenantName, dependencies, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public Task<Page<InterDeploymentDependency>> ListDependenciesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(
            FieldMaps.Dependencies,
            DependencyColumns,
            "inter_deployment_dependencies idd",
            $"idd.tenant = {p.Add(tenantName)}",
            p,
            query,
            ReadDependency,
            cancellationToken);
    }

    public async Task<int> DeleteDependenciesAsync(
        string tenantName, string dependencyCreator, string? sourceDeploymentId, string? targetDeploymentId, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var sql = $"SELECT id FROM inter_deployment_dependencies WHERE tenant = {p.Add(tenantName)} AND dependency_creator = {p.Add(dependencyCreator)} AND "
            + (sourceDeploymentId is null ? "source_deployment_id IS NULL" : $"source_deployment_id = {p.Add(sourceDeploymentId)}")
            + (targetDeploymentId is null ? "" : $" AND target_deployment_id = {p.Add(targetDeploymentId)}")
            + $" ORDER BY id{Dialect.ForUpdate}";
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var matching = await QueryAsync(session, sql, p, r => r.String("id"), cancellationToken);
        if (matching.Count != 1)
        {
            // None, or an ambiguous filter: Cloudify refuses rather than guessing which one was meant.
            return matching.Count;
        }

        var dp = new SqlParameters();
        await ExecuteAsync(session, $"DELETE FROM inter_deployment_dependencies WHERE tenant = {dp.Add(tenantName)} AND id = {dp.Add(matching[0])}", dp, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return 1;
    }

    public async Task<bool> SetDependencyTargetAsync(
        string tenantName, string id, string? expectedTargetId, string targetDeploymentId, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var sp = new SqlParameters();
        var source = await QueryAsync(
            session,
            $"SELECT source_deployment_id FROM inter_deployment_dependencies WHERE tenant = {sp.Add(tenantName)} AND id = {sp.Add(id)}",
            sp,
            r => r.NullableString("source_deployment_id"),
            cancellationToken);
        if (source.Count == 0 || (source[0] is { } sourceId && await ClosesCycleAsync(session, tenantName, sourceId, targetDeploymentId, cancellationToken)))
        {
            return false;
        }

        var p = new SqlParameters();
        var sql = $"UPDATE inter_deployment_dependencies SET target_deployment_id = {p.Add(targetDeploymentId)} "
            + $"WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(id)} AND "
            + (expectedTargetId is null ? "target_deployment_id IS NULL" : $"target_deployment_id = {p.Add(expectedTargetId)}");
        var changed = await ExecuteAsync(session, sql, p, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    private async Task InsertDependencyRowsAsync(
        WriteSession session, string tenantName, IReadOnlyList<InterDeploymentDependency> dependencies, CancellationToken cancellationToken)
    {
        // One row at a time: each cycle check must see the rows inserted before it in the same transaction.
        foreach (var d in dependencies)
        {
            if (d.TenantName != tenantName)
            {
                throw new ArgumentException($"Dependency {d.Id} belongs to tenant {d.TenantName}, not {tenantName}", nameof(dependencies));
            }

            if (d is { SourceDeploymentId: { } source, TargetDeploymentId: { } target, ExternalSource: null, ExternalTarget: null }
                && await ClosesCycleAsync(session, tenantName, source, target, cancellationToken))
            {
                throw StratusException.Conflict($"Cyclic dependency between {source} and {target}");
            }

            var p = new SqlParameters();
            var sql = "INSERT INTO inter_deployment_dependencies (tenant, id, created_by, visibility, created_at, dependency_creator, "
                + "source_deployment_id, target_deployment_id, target_deployment_func, external_source, external_target) VALUES ("
                + $"{p.Add(d.TenantName)}, {p.Add(d.Id)}, {p.Add(d.CreatedBy)}, {p.Add(d.Visibility)}, {p.Add(d.CreatedAt)}, "
                + $"{p.Add(d.DependencyCreator)}, {p.Add(d.SourceDeploymentId)}, {p.Add(d.TargetDeploymentId)}, "
                + $"{p.AddJson(JsonColumn.WriteNullable(d.TargetDeploymentFunc))}, {p.AddJson(JsonColumn.WriteNullable(d.ExternalSource))}, "
                + $"{p.AddJson(JsonColumn.WriteNullable(d.ExternalTarget))}) ON CONFLICT (tenant, id) DO NOTHING";
            if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
            {
                throw Duplicate("InterDeploymentDependencies", d.Id, tenantName);
            }
        }
    }

    /// <summary>True when <paramref name="target"/> is <paramref name="source"/> or already depends on it, directly or transitively.</summary>
    private async Task<bool> ClosesCycleAsync(WriteSession session, string tenantName, string source, string target, CancellationToken cancellationToken)
    {
        if (source == target)
        {
            return true;
        }

        var p = new SqlParameters();
        var sql = "WITH RECURSIVE dependents(id) AS ("
            + $"SELECT source_deployment_id FROM inter_deployment_dependencies WHERE tenant = {p.Add(tenantName)} "
            + $"AND target_deployment_id = {p.Add(source)} AND source_deployment_id IS NOT NULL "
            + "UNION SELECT i.source_deployment_id FROM inter_deployment_dependencies i JOIN dependents d ON i.target_deployment_id = d.id "
            + $"WHERE i.tenant = {p.Add(tenantName)} AND i.source_deployment_id IS NOT NULL) "
            + $"SELECT COUNT(*) FROM dependents WHERE id = {p.Add(target)}";
        return await CountAsync(session.Connection, session.Transaction, sql, p, cancellationToken) > 0;
    }

    /// <summary>
    /// Inside a deployment delete: refuses while other deployments depend on it (unless forced), then clears the
    /// target of the dependencies that pointed at it (Cloudify's ON DELETE SET NULL).
    /// </summary>
    private async Task ReleaseDependentsAsync(WriteSession session, string tenantName, string id, bool force, CancellationToken cancellationToken)
    {
        if (!force)
        {
            var p = new SqlParameters();
            var blocking = await QueryAsync(
                session,
                $"SELECT {DependencyColumns} FROM inter_deployment_dependencies idd WHERE idd.tenant = {p.Add(tenantName)} "
                + $"AND idd.target_deployment_id = {p.Add(id)} AND (idd.source_deployment_id IS NULL OR idd.source_deployment_id <> {p.Add(id)}) "
                + "AND NOT EXISTS (SELECT 1 FROM executions x WHERE x.tenant = idd.tenant AND x.deployment_id = idd.source_deployment_id "
                + $"AND x.status IN ({p.AddList([ExecutionStatus.Started, ExecutionStatus.Pending, ExecutionStatus.Queued])}) "
                + $"AND x.workflow_id IN ({p.AddList(ReleasingWorkflows)})) ORDER BY idd.created_at, idd.dependency_creator, idd.id LIMIT 3",
                p,
                ReadDependency,
                cancellationToken);
            if (blocking.Count > 0)
            {
                throw StratusException.DependentExists(
                    $"Can't delete deployment {id} - the following existing installations depend on it:\n"
                    + string.Join('\n', blocking.Select((d, i) => $"[{i + 1}] {Describe(d)}")));
            }
        }

        var up = new SqlParameters();
        await ExecuteAsync(
            session,
            $"UPDATE inter_deployment_dependencies SET target_deployment_id = NULL WHERE tenant = {up.Add(tenantName)} AND target_deployment_id = {up.Add(id)}",
            up,
            cancellationToken);
    }

    /// <summary>Cloudify's InterDeploymentDependencies.format(): who depends, how, and through which node.</summary>
    private static string Describe(InterDeploymentDependency dependency)
    {
        var parts = dependency.DependencyCreator.Split('.');
        var (kind, node) = parts.Length > 1
            ? (parts[0] is "component" or "sharedresource" ? parts[0] : "deployment", parts[1])
            : ("deployment", "<unknown node>");
        var source = dependency.SourceDeploymentId
            ?? (dependency.ExternalSource is { } external ? $"EXTERNAL:{external.ToJsonString()}" : "<unknown deployment>");
        var how = kind switch
        {
            "component" => "contains",
            "sharedresource" => "uses a shared resource from",
            _ => "uses capabilities of",
        };
        return $"Deployment `{source}` {how} the current deployment in its node `{node}`";
    }

    private static InterDeploymentDependency ReadDependency(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        CreatedAt = row.Timestamp("created_at"),
        DependencyCreator = row.String("dependency_creator"),
        SourceDeploymentId = row.NullableString("source_deployment_id"),
        TargetDeploymentId = row.NullableString("target_deployment_id"),
        TargetDeploymentFunc = row.NullableNode("target_deployment_func"),
        ExternalSource = row.NullableObject("external_source"),
        ExternalTarget = row.NullableObject("external_target"),
    };
}

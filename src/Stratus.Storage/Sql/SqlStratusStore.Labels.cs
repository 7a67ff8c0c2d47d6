using System.Data.Common;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private static readonly LabelTable BlueprintLabels = new("blueprints_labels", "blueprint_id", "blueprints");
    private static readonly LabelTable DeploymentLabels = new("deployments_labels", "deployment_id", "deployments");

    public async Task<Blueprint> ReplaceBlueprintLabelsAsync(
        string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        await using (var session = await Dialect.BeginWriteAsync(cancellationToken))
        {
            await LockOwnerAsync(session, BlueprintLabels, tenantName, id, "Blueprint", cancellationToken);
            await ReplaceLabelsAsync(session, BlueprintLabels, tenantName, id, labels, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        return await GetBlueprintAsync(tenantName, id, cancellationToken) ?? throw NotFound("Blueprint", id);
    }

    public async Task<Deployment> ReplaceDeploymentLabelsAsync(
        string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        await using (var session = await Dialect.BeginWriteAsync(cancellationToken))
        {
            await LockOwnerAsync(session, DeploymentLabels, tenantName, id, "Deployment", cancellationToken);
            var (removed, added) = await ReplaceLabelsAsync(
                session, DeploymentLabels, tenantName, id, [.. labels.Where(l => l.Key != ResourceLabel.ConsumerKey)], cancellationToken);
            var oldParents = removed.Where(l => l.Key == ResourceLabel.ParentKey).Select(l => l.Value).ToList();
            await UnlinkFromParentsAsync(session, tenantName, id, oldParents, cancellationToken);
            await LinkToParentsAsync(session, tenantName, id, added.Where(l => l.Key == ResourceLabel.ParentKey).ToList(), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        return await GetDeploymentAsync(tenantName, id, cancellationToken) ?? throw NotFound("Deployment", id);
    }

    public async Task<IReadOnlyList<string>> ListChildDeploymentsAsync(string tenantName, string parentId, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT source_deployment_id FROM deployment_labels_dependencies WHERE tenant = {p.Add(tenantName)} "
                + $"AND target_deployment_id = {p.Add(parentId)} ORDER BY source_deployment_id",
            p,
            r => r.String("source_deployment_id"),
            cancellationToken);
    }

    public Task<Page<string>> ListLabelKeysAsync(
        string tenantName, LabeledResource resource, ListQuery query, CancellationToken cancellationToken = default) =>
        DistinctLabelColumnAsync(tenantName, resource, "key", null, query, cancellationToken);

    public Task<Page<string>> ListLabelValuesAsync(
        string tenantName, LabeledResource resource, string key, ListQuery query, CancellationToken cancellationToken = default) =>
        DistinctLabelColumnAsync(tenantName, resource, "value", key, query, cancellationToken);

    private async Task<Page<string>> DistinctLabelColumnAsync(
        string tenantName, LabeledResource resource, string column, string? key, ListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = resource == LabeledResource.Blueprint ? BlueprintLabels : DeploymentLabels;
        var p = new SqlParameters();
        var from = $"{table.Table} l JOIN {table.Owner} o ON o.tenant = l.tenant AND o.id = l.{table.ForeignKey}";
        var where = $"l.tenant = {p.Add(tenantName)}";
        if (key is not null)
        {
            where += $" AND l.key = {p.Add(key)}";
        }

        if (query.PrivateVisibleTo is { } user)
        {
            where += $" AND (o.visibility <> {p.Add(Visibility.Private)} OR o.created_by = {p.Add(user)})";
        }

        if (!string.IsNullOrEmpty(query.Search))
        {
            where += " AND " + Dialect.Contains($"l.{column}", p.Add(query.Search));
        }

        var limit = query.GetAll ? "" : $" LIMIT {p.Add((long)query.Size)} OFFSET {p.Add((long)query.Offset)}";
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);
        await using var snapshot = await Dialect.BeginSnapshotAsync(connection, cancellationToken);
        var total = await CountAsync(connection, snapshot, $"SELECT COUNT(DISTINCT l.{column}) FROM {from} WHERE {where}", p, cancellationToken);
        var items = await QueryAsync(
            connection, snapshot, $"SELECT DISTINCT l.{column} AS item FROM {from} WHERE {where} ORDER BY item{limit}", p, r => r.String("item"), cancellationToken);
        return query.GetAll ? new Page<string>(items, total, 0, items.Count) : new Page<string>(items, total, query.Offset, query.Size);
    }

    private async Task LockOwnerAsync(WriteSession session, LabelTable table, string tenantName, string id, string resource, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var found = await QueryAsync(
            session,
            $"SELECT id FROM {table.Owner} WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(id)}{Dialect.ForUpdate}",
            p,
            r => r.String("id"),
            cancellationToken);
        if (found.Count == 0)
        {
            throw NotFound(resource, id);
        }
    }

    /// <summary>
    /// Makes the owner's labels (other than the manager's consumer labels) exactly <paramref name="labels"/>; pairs
    /// already present stay as they are. Returns the labels removed and the ones added.
    /// </summary>
    private async Task<(List<ResourceLabel> Removed, List<ResourceLabel> Added)> ReplaceLabelsAsync(
        WriteSession session, LabelTable table, string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken)
    {
        var existing = (await ReadLabelsAsync(session.Connection, session.Transaction, table, tenantName, [id], cancellationToken))[id].ToList();
        var wanted = labels.DistinctBy(l => (l.Key, l.Value)).ToList();
        var removed = existing.Where(e => e.Key != ResourceLabel.ConsumerKey && !wanted.Any(e.SameAs)).ToList();
        var added = wanted.Where(w => !existing.Any(w.SameAs)).ToList();
        await ExecuteEachAsync(
            session,
            removed,
            (l, p) => $"DELETE FROM {table.Table} WHERE tenant = {p.Add(tenantName)} AND {table.ForeignKey} = {p.Add(id)} "
                + $"AND key = {p.Add(l.Key)} AND value = {p.Add(l.Value)}",
            cancellationToken);
        await InsertLabelsAsync(session, table, tenantName, id, added, cancellationToken);
        return (removed, added);
    }

    private Task InsertLabelsAsync(
        WriteSession session, LabelTable table, string tenantName, string id, IReadOnlyList<ResourceLabel> labels, CancellationToken cancellationToken) =>
        InsertBatchedAsync(
            session,
            $"INSERT INTO {table.Table} (tenant, {table.ForeignKey}, key, value, created_at, created_by)",
            labels.DistinctBy(l => (l.Key, l.Value)).ToList(),
            (l, p) => $"({p.Add(tenantName)}, {p.Add(id)}, {p.Add(l.Key)}, {p.Add(l.Value)}, {p.Add(l.CreatedAt)}, {p.Add(l.CreatedBy)})",
            cancellationToken);

    /// <summary>
    /// Puts <paramref name="child"/> under each parent its new <c>csys-obj-parent</c> labels name, and gives each parent a
    /// <c>csys-consumer-id</c> label naming the child (Cloudify's add_deployment_to_labels_graph).
    /// </summary>
    private async Task LinkToParentsAsync(
        WriteSession session, string tenantName, string child, List<ResourceLabel> parentLabels, CancellationToken cancellationToken)
    {
        if (parentLabels.Count == 0)
        {
            return;
        }

        var parents = parentLabels.Select(l => l.Value).Distinct(StringComparer.Ordinal).ToList();

        // Child and parents locked in one id order, so two relinkings that cross cannot deadlock, and the one that
        // commits second sees the other's edge in its cycle check.
        var lp = new SqlParameters();
        var found = await QueryAsync(
            session,
            $"SELECT id FROM deployments WHERE tenant = {lp.Add(tenantName)} AND id IN ({lp.AddList([.. parents.Append(child).Distinct(StringComparer.Ordinal)])}) "
                + $"ORDER BY id{Dialect.ForUpdate}",
            lp,
            r => r.String("id"),
            cancellationToken);
        var missing = parents.Where(p => !found.Contains(p, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new StratusException(
                ErrorCodes.DeploymentParentNotFound, 404, $"Environment referenced by `csys-obj-parent` not found: {string.Join(",", missing)}");
        }

        var cp = new SqlParameters();
        var ancestors = await QueryAsync(
            session,
            "WITH RECURSIVE ancestors(id) AS ("
                + $"SELECT target_deployment_id FROM deployment_labels_dependencies WHERE tenant = {cp.Add(tenantName)} "
                + $"AND source_deployment_id IN ({cp.AddList([.. parents])}) "
                + "UNION SELECT d.target_deployment_id FROM deployment_labels_dependencies d JOIN ancestors a ON d.source_deployment_id = a.id "
                + $"WHERE d.tenant = {cp.Add(tenantName)}) SELECT id FROM ancestors WHERE id = {cp.Add(child)}",
            cp,
            r => r.String("id"),
            cancellationToken);
        if (ancestors.Count > 0 || parents.Contains(child, StringComparer.Ordinal))
        {
            throw StratusException.Conflict($"cyclic dependencies: {child}");
        }

        await ExecuteEachAsync(
            session,
            parentLabels.DistinctBy(l => l.Value).ToList(),
            (l, p) => "INSERT INTO deployment_labels_dependencies (tenant, source_deployment_id, target_deployment_id, created_at) "
                + $"VALUES ({p.Add(tenantName)}, {p.Add(child)}, {p.Add(l.Value)}, {p.Add(l.CreatedAt)}) ON CONFLICT DO NOTHING",
            cancellationToken);
        await ExecuteEachAsync(
            session,
            parentLabels.DistinctBy(l => l.Value).ToList(),
            (l, p) => $"INSERT INTO {DeploymentLabels.Table} (tenant, deployment_id, key, value, created_at, created_by) "
                + $"VALUES ({p.Add(tenantName)}, {p.Add(l.Value)}, {p.Add(ResourceLabel.ConsumerKey)}, {p.Add(child)}, {p.Add(l.CreatedAt)}, "
                + $"{p.Add(l.CreatedBy)}) ON CONFLICT DO NOTHING",
            cancellationToken);
    }

    /// <summary>Takes <paramref name="child"/> out from under <paramref name="parents"/> and drops their consumer labels naming it.</summary>
    private async Task UnlinkFromParentsAsync(
        WriteSession session, string tenantName, string child, List<string> parents, CancellationToken cancellationToken)
    {
        if (parents.Count == 0)
        {
            return;
        }

        var p = new SqlParameters();
        await ExecuteAsync(
            session,
            $"DELETE FROM {DeploymentLabels.Table} WHERE tenant = {p.Add(tenantName)} AND key = {p.Add(ResourceLabel.ConsumerKey)} "
                + $"AND value = {p.Add(child)} AND deployment_id IN ({p.AddList([.. parents])})",
            p,
            cancellationToken);
        var dp = new SqlParameters();
        await ExecuteAsync(
            session,
            $"DELETE FROM deployment_labels_dependencies WHERE tenant = {dp.Add(tenantName)} AND source_deployment_id = {dp.Add(child)} "
                + $"AND target_deployment_id IN ({dp.AddList([.. parents])})",
            dp,
            cancellationToken);
    }

    /// <summary>The labels of the given owners, each owner's in (created_at, key, value) order.</summary>
    private async Task<ILookup<string, ResourceLabel>> ReadLabelsAsync(
        DbConnection connection, DbTransaction? transaction, LabelTable table, string tenantName, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var rows = new List<(string Owner, ResourceLabel Label)>();
        for (var start = 0; start < ids.Count; start += BatchRows)
        {
            var p = new SqlParameters();
            rows.AddRange(await QueryAsync(
                connection,
                transaction,
                $"SELECT {table.ForeignKey} AS owner, key, value, created_at, created_by FROM {table.Table} WHERE tenant = {p.Add(tenantName)} "
                    + $"AND {table.ForeignKey} IN ({p.AddList([.. ids.Skip(start).Take(BatchRows)])}) ORDER BY owner, created_at, key, value",
                p,
                r => (r.String("owner"), new ResourceLabel(r.String("key"), r.String("value"), r.Timestamp("created_at"), r.String("created_by"))),
                cancellationToken));
        }

        return rows.ToLookup(r => r.Owner, r => r.Label, StringComparer.Ordinal);
    }

    /// <summary>The labels of a page that may span tenants (<c>_all_tenants</c>): one read per tenant on the page.</summary>
    private async Task<Dictionary<string, ILookup<string, ResourceLabel>>> ReadLabelsByTenantAsync(
        DbConnection connection, DbTransaction? transaction, LabelTable table, IReadOnlyList<(string Tenant, string Id)> owners, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ILookup<string, ResourceLabel>>(StringComparer.Ordinal);
        foreach (var tenant in owners.GroupBy(o => o.Tenant, StringComparer.Ordinal))
        {
            result[tenant.Key] = await ReadLabelsAsync(connection, transaction, table, tenant.Key, [.. tenant.Select(o => o.Id)], cancellationToken);
        }

        return result;
    }

    private static IReadOnlyList<ResourceLabel> LabelsOf(ILookup<string, ResourceLabel> labels, string id) =>
        labels.Contains(id) ? [.. labels[id]] : [];

    /// <summary>A label table: its name, the column naming the labelled resource, and that resource's table.</summary>
    private sealed record LabelTable(string Table, string ForeignKey, string Owner);
}

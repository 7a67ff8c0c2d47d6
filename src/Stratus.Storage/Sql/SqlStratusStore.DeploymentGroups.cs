using System.Data.Common;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string GroupColumns =
        "g.tenant, g.id, g.created_by, g.visibility, g.created_at, g.description, g.default_blueprint_id, g.default_inputs, g.creation_counter";

    public async Task<DeploymentGroup> WriteDeploymentGroupAsync(DeploymentGroupWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var tenant = write.TenantName;
        var kp = new SqlParameters();
        var existing = await QueryAsync(
            session,
            $"SELECT id FROM deployment_groups WHERE tenant = {kp.Add(tenant)} AND id = {kp.Add(write.Id)}{Dialect.ForUpdate}",
            kp,
            r => r.String("id"),
            cancellationToken);
        if (existing.Count == 0)
        {
            if (!write.CreateIfMissing)
            {
                throw NotFound("DeploymentGroup", write.Id);
            }

            var ip = new SqlParameters();
            var inserted = await ExecuteAsync(
                session,
                "INSERT INTO deployment_groups (tenant, id, created_by, visibility, created_at, creation_counter) VALUES ("
                + $"{ip.Add(tenant)}, {ip.Add(write.Id)}, {ip.Add(write.CreatedBy)}, {ip.Add(write.Visibility ?? Visibility.Tenant)}, "
                + $"{ip.Add(write.CreatedAt)}, 0) ON CONFLICT (tenant, id) DO NOTHING",
                ip,
                cancellationToken);
            if (inserted == 0)
            {
                throw Duplicate("DeploymentGroup", write.Id, tenant);
            }
        }

        await SetGroupAttributesAsync(session, write, cancellationToken);
        await SetGroupMembersAsync(session, write, cancellationToken);
        var group = await ReadGroupsAsync(session.Connection, session.Transaction, tenant, write.Id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return group[0];
    }

    public async Task<DeploymentGroup?> GetDeploymentGroupAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);
        await using var snapshot = await Dialect.BeginSnapshotAsync(connection, cancellationToken);
        var groups = await ReadGroupsAsync(connection, snapshot, tenantName, id, cancellationToken);
        return groups.Count > 0 ? groups[0] : null;
    }

    public async Task<Page<DeploymentGroup>> ListDeploymentGroupsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var page = await PageAsync(
            FieldMaps.DeploymentGroups, GroupColumns, "deployment_groups g", InTenants(p, "g.tenant", tenantName, query), p, query, ReadGroup, cancellationToken);
        if (page.Items.Count == 0)
        {
            return page;
        }

        // One read per tenant on the page (several only with _all_tenants).
        var members = new Dictionary<string, Dictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var tenant in page.Items.GroupBy(g => g.TenantName, StringComparer.Ordinal))
        {
            members[tenant.Key] = await MembersAsync(tenant.Key, "group_id", tenant.Select(g => g.Id).ToList(), cancellationToken);
        }

        var items = page.Items.Select(g => g with { DeploymentIds = members[g.TenantName].GetValueOrDefault(g.Id) ?? [] }).ToList();
        return page with { Items = items };
    }

    public async Task<bool> DeleteDeploymentGroupAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var deleted = await ExecuteAsync(session, $"DELETE FROM deployment_groups WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(id)}", p, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<IReadOnlyList<string>?> DeleteDeploymentGroupAndMembersAsync(
        string tenantName, string id, bool force, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var group = await QueryAsync(
            session, $"SELECT id FROM deployment_groups WHERE tenant = {p.Add(tenantName)} AND id = {p.Add(id)}{Dialect.ForUpdate}", p, r => r.String("id"), cancellationToken);
        if (group.Count == 0)
        {
            return null;
        }

        var mp = new SqlParameters();
        var members = await QueryAsync(
            session,
            $"SELECT deployment_id FROM deployment_groups_deployments WHERE tenant = {mp.Add(tenantName)} AND group_id = {mp.Add(id)} ORDER BY deployment_id",
            mp,
            r => r.String("deployment_id"),
            cancellationToken);

        // Each member is locked and checked (running executions, dependents) in id order; the first refusal rolls
        // back every delete before it, so the group and its deployments go together or not at all.
        foreach (var member in members)
        {
            await DeleteDeploymentAsync(session, tenantName, member, force, cancellationToken);
        }

        var dp = new SqlParameters();
        await ExecuteAsync(session, $"DELETE FROM deployment_groups WHERE tenant = {dp.Add(tenantName)} AND id = {dp.Add(id)}", dp, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return members;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGroupIdsOfDeploymentsAsync(
        string tenantName, IReadOnlyCollection<string> deploymentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploymentIds);
        return deploymentIds.Count == 0
            ? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            : await MembersAsync(tenantName, "deployment_id", deploymentIds, cancellationToken);
    }

    private async Task SetGroupAttributesAsync(WriteSession session, DeploymentGroupWrite write, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var sets = new List<string>();
        if (write.Visibility is not null)
        {
            sets.Add($"visibility = {p.Add(write.Visibility)}");
        }

        if (write.Description is not null)
        {
            sets.Add($"description = {p.Add(write.Description)}");
        }

        if (write.DefaultInputs is not null)
        {
            sets.Add($"default_inputs = {p.AddJson(JsonColumn.Write(write.DefaultInputs))}");
        }

        if (write.DefaultBlueprintId is { } blueprintId)
        {
            // FOR SHARE: a concurrent blueprint delete waits, then clears this default (or this write sees it gone).
            var bp = new SqlParameters();
            var found = await QueryAsync(
                session,
                $"SELECT id FROM blueprints WHERE tenant = {bp.Add(write.TenantName)} AND id = {bp.Add(blueprintId)}{Dialect.ForShare}",
                bp,
                r => r.String("id"),
                cancellationToken);
            if (found.Count == 0)
            {
                throw NotFound("Blueprint", blueprintId);
            }

            sets.Add($"default_blueprint_id = {p.Add(blueprintId)}");
        }

        if (sets.Count > 0)
        {
            await ExecuteAsync(
                session,
                $"UPDATE deployment_groups SET {string.Join(", ", sets)} WHERE tenant = {p.Add(write.TenantName)} AND id = {p.Add(write.Id)}",
                p,
                cancellationToken);
        }
    }

    private async Task SetGroupMembersAsync(WriteSession session, DeploymentGroupWrite write, CancellationToken cancellationToken)
    {
        var tenant = write.TenantName;
        var add = write.AddDeploymentIds.Distinct(StringComparer.Ordinal).ToList();
        if (add.Count > 0)
        {
            // Set-based existence check; the first missing id (in request order) is the one reported, as Cloudify does.
            var found = new HashSet<string>(StringComparer.Ordinal);
            for (var start = 0; start < add.Count; start += BatchRows)
            {
                var p = new SqlParameters();
                var ids = add.Skip(start).Take(BatchRows).Select(i => (object?)i);
                found.UnionWith(await QueryAsync(
                    session,
                    $"SELECT id FROM deployments WHERE tenant = {p.Add(tenant)} AND id IN ({p.AddList(ids)}){Dialect.ForShare}",
                    p,
                    r => r.String("id"),
                    cancellationToken));
            }

            if (add.FirstOrDefault(id => !found.Contains(id)) is { } missing)
            {
                throw NotFound("Deployment", missing);
            }
        }

        if (write.ReplaceMembers)
        {
            var rp = new SqlParameters();
            await ExecuteAsync(
                session,
                $"DELETE FROM deployment_groups_deployments WHERE tenant = {rp.Add(tenant)} AND group_id = {rp.Add(write.Id)}",
                rp,
                cancellationToken);
        }

        if (add.Count > 0)
        {
            await ExecuteEachAsync(
                session,
                add,
                (id, p) => "INSERT INTO deployment_groups_deployments (tenant, group_id, deployment_id) VALUES "
                    + $"({p.Add(tenant)}, {p.Add(write.Id)}, {p.Add(id)}) ON CONFLICT DO NOTHING",
                cancellationToken);
        }

        var remove = write.RemoveDeploymentIds.Distinct(StringComparer.Ordinal).ToList();
        for (var start = 0; start < remove.Count; start += BatchRows)
        {
            var p = new SqlParameters();
            var ids = remove.Skip(start).Take(BatchRows).Select(i => (object?)i);
            await ExecuteAsync(
                session,
                $"DELETE FROM deployment_groups_deployments WHERE tenant = {p.Add(tenant)} AND group_id = {p.Add(write.Id)} AND deployment_id IN ({p.AddList(ids)})",
                p,
                cancellationToken);
        }
    }

    /// <summary>The group with this id (none or one), members included.</summary>
    private async Task<List<DeploymentGroup>> ReadGroupsAsync(
        DbConnection connection, DbTransaction? transaction, string tenantName, string id, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var groups = await QueryAsync(
            connection,
            transaction,
            $"SELECT {GroupColumns} FROM deployment_groups g WHERE g.tenant = {p.Add(tenantName)} AND g.id = {p.Add(id)}",
            p,
            ReadGroup,
            cancellationToken);
        if (groups.Count == 0)
        {
            return groups;
        }

        var mp = new SqlParameters();
        var members = await QueryAsync(
            connection,
            transaction,
            $"SELECT group_id, deployment_id FROM deployment_groups_deployments WHERE tenant = {mp.Add(tenantName)} "
            + $"AND group_id IN ({mp.AddList(groups.Select(g => (object?)g.Id))}) ORDER BY group_id, deployment_id",
            mp,
            r => (Group: r.String("group_id"), Deployment: r.String("deployment_id")),
            cancellationToken);
        var byGroup = members.ToLookup(m => m.Group, m => m.Deployment, StringComparer.Ordinal);
        return [.. groups.Select(g => g with { DeploymentIds = [.. byGroup[g.Id]] })];
    }

    /// <summary>Membership keyed by <paramref name="keyColumn"/> (group_id or deployment_id), the other side in id order.</summary>
    private async Task<Dictionary<string, IReadOnlyList<string>>> MembersAsync(
        string tenantName, string keyColumn, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var other = keyColumn == "group_id" ? "deployment_id" : "group_id";
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(BatchRows))
        {
            var p = new SqlParameters();
            var rows = await QueryAsync(
                connection,
                null,
                $"SELECT {keyColumn} AS k, {other} AS v FROM deployment_groups_deployments WHERE tenant = {p.Add(tenantName)} "
                + $"AND {keyColumn} IN ({p.AddList(chunk)}) ORDER BY {keyColumn}, {other}",
                p,
                r => (Key: r.String("k"), Value: r.String("v")),
                cancellationToken);
            foreach (var group in rows.GroupBy(r => r.Key, StringComparer.Ordinal))
            {
                result[group.Key] = [.. group.Select(r => r.Value)];
            }
        }

        return result;
    }

    private static DeploymentGroup ReadGroup(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        CreatedAt = row.Timestamp("created_at"),
        Description = row.NullableString("description"),
        DefaultBlueprintId = row.NullableString("default_blueprint_id"),
        DefaultInputs = row.NullableObject("default_inputs"),
        CreationCounter = row.Int("creation_counter"),
    };
}

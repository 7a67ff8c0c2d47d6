using System.Data.Common;
using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string BlueprintColumns =
        "b.tenant, b.id, b.created_by, b.visibility, b.created_at, b.updated_at, b.main_file_name, b.plan, "
        + "b.description, b.state, b.error, b.is_hidden";

    public Task InsertBlueprintAsync(Blueprint blueprint, CancellationToken cancellationToken = default) =>
        InsertBlueprintAsync(blueprint, [], cancellationToken);

    public async Task InsertBlueprintAsync(Blueprint blueprint, IReadOnlyList<ResourceFileSet> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blueprint);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var sql = "INSERT INTO blueprints (tenant, id, created_by, visibility, created_at, updated_at, main_file_name, plan, "
            + "description, state, error, is_hidden) VALUES ("
            + $"{p.Add(blueprint.TenantName)}, {p.Add(blueprint.Id)}, {p.Add(blueprint.CreatedBy)}, {p.Add(blueprint.Visibility)}, "
            + $"{p.Add(blueprint.CreatedAt)}, {p.Add(blueprint.UpdatedAt)}, {p.Add(blueprint.MainFileName)}, "
            + $"{p.AddJson(JsonColumn.WriteNullable(blueprint.Plan))}, {p.Add(blueprint.Description)}, {p.Add(blueprint.State)}, "
            + $"{p.Add(blueprint.Error)}, {p.Add(blueprint.IsHidden)}) ON CONFLICT (tenant, id) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw Duplicate("Blueprint", blueprint.Id, blueprint.TenantName);
        }

        await InsertLabelsAsync(session, BlueprintLabels, blueprint.TenantName, blueprint.Id, blueprint.Labels, cancellationToken);
        await WriteFilesAsync(session, files, onConflictNothing: false, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public Task<Blueprint?> GetBlueprintAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {BlueprintColumns} FROM blueprints b WHERE b.tenant = {p.Add(tenantName)} AND b.id = {p.Add(id)}",
            p,
            ReadBlueprint,
            async (c, t, b) => (await WithLabelsAsync(c, t, [b], cancellationToken))[0],
            cancellationToken);
    }

    public Task<Page<Blueprint>> ListBlueprintsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(
            FieldMaps.Blueprints,
            BlueprintColumns,
            "blueprints b",
            InTenants(p, "b.tenant", tenantName, query),
            p,
            query,
            ReadBlueprint,
            cancellationToken,
            (c, t, items) => WithLabelsAsync(c, t, items, cancellationToken));
    }

    public async Task<bool> DeleteBlueprintAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var key = $"tenant = {p.Add(tenantName)} AND id = {p.Add(id)}";
        var exists = await QueryAsync(session, $"SELECT id FROM blueprints WHERE {key}{Dialect.ForUpdate}", p, r => r.String("id"), cancellationToken);
        if (exists.Count == 0)
        {
            return false;
        }

        var dp = new SqlParameters();
        var deployments = await QueryAsync(
            session,
            $"SELECT id FROM deployments WHERE tenant = {dp.Add(tenantName)} AND blueprint_id = {dp.Add(id)} ORDER BY id",
            dp,
            r => r.String("id"),
            cancellationToken);
        if (deployments.Count > 0)
        {
            throw StratusException.DependentExists(
                $"Can't delete blueprint {id} - There exist deployments for this blueprint; Deployments ids: {string.Join(",", deployments)}");
        }

        // Cloudify's deployment_groups._default_blueprint_fk is ON DELETE SET NULL.
        var gp = new SqlParameters();
        await ExecuteAsync(
            session,
            $"UPDATE deployment_groups SET default_blueprint_id = NULL WHERE tenant = {gp.Add(tenantName)} AND default_blueprint_id = {gp.Add(id)}",
            gp,
            cancellationToken);
        await ExecuteAsync(session, $"DELETE FROM blueprints WHERE {key}", p, cancellationToken);
        await DeleteResourceFilesAsync(session, tenantName, id, [ResourceKinds.Blueprint, ResourceKinds.UploadedBlueprint], cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<List<Blueprint>> WithLabelsAsync(
        DbConnection connection, DbTransaction transaction, List<Blueprint> blueprints, CancellationToken cancellationToken)
    {
        if (blueprints.Count == 0)
        {
            return blueprints;
        }

        var labels = await ReadLabelsByTenantAsync(connection, transaction, BlueprintLabels, [.. blueprints.Select(b => (b.TenantName, b.Id))], cancellationToken);
        return [.. blueprints.Select(b => labels[b.TenantName].Contains(b.Id) ? b with { Labels = LabelsOf(labels[b.TenantName], b.Id) } : b)];
    }

    private static Blueprint ReadBlueprint(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        CreatedAt = row.Timestamp("created_at"),
        UpdatedAt = row.Timestamp("updated_at"),
        MainFileName = row.String("main_file_name"),
        Plan = row.NullableObject("plan"),
        Description = row.NullableString("description"),
        State = row.String("state"),
        Error = row.NullableString("error"),
        IsHidden = row.Bool("is_hidden"),
    };
}

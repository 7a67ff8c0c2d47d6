using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string PluginColumns =
        "pl.id, pl.tenant, pl.created_by, pl.visibility, pl.uploaded_at, pl.package_name, pl.package_version, pl.package_source, "
        + "pl.archive_name, pl.distribution, pl.distribution_version, pl.distribution_release, pl.supported_platform, "
        + "pl.supported_py_versions, pl.wheels, pl.excluded_wheels, pl.title, pl.blueprint_labels, pl.labels, pl.resource_tags, "
        + "pl.yaml_files";

    public Task InsertPluginAsync(Plugin plugin, CancellationToken cancellationToken = default) => InsertPluginAsync(plugin, [], cancellationToken);

    public async Task InsertPluginAsync(Plugin plugin, IReadOnlyList<ResourceFileSet> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var ip = new SqlParameters();
        if ((await QueryAsync(session, $"SELECT id FROM plugins WHERE id = {ip.Add(plugin.Id)}", ip, r => r.String("id"), cancellationToken)).Count > 0)
        {
            throw PluginExists(plugin);
        }

        await EnsureNoSamePackageAsync(session, plugin, plugin.Visibility, cancellationToken);
        var p = new SqlParameters();
        var sql = "INSERT INTO plugins (id, tenant, created_by, visibility, uploaded_at, package_name, package_version, package_source, "
            + "archive_name, distribution, distribution_version, distribution_release, supported_platform, supported_py_versions, "
            + "wheels, excluded_wheels, title, blueprint_labels, labels, resource_tags, yaml_files) VALUES ("
            + $"{p.Add(plugin.Id)}, {p.Add(plugin.TenantName)}, {p.Add(plugin.CreatedBy)}, {p.Add(plugin.Visibility)}, "
            + $"{p.Add(plugin.UploadedAt)}, {p.Add(plugin.PackageName)}, {p.Add(plugin.PackageVersion)}, {p.Add(plugin.PackageSource)}, "
            + $"{p.Add(plugin.ArchiveName)}, {p.Add(plugin.Distribution)}, {p.Add(plugin.DistributionVersion)}, "
            + $"{p.Add(plugin.DistributionRelease)}, {p.AddJson(JsonColumn.WriteNullable(plugin.SupportedPlatform))}, "
            + $"{p.AddJson(JsonColumn.WriteNullable(plugin.SupportedPyVersions))}, {p.AddJson(JsonColumn.WriteNullable(plugin.Wheels))}, "
            + $"{p.AddJson(JsonColumn.WriteNullable(plugin.ExcludedWheels))}, {p.Add(plugin.Title)}, "
            + $"{p.AddJson(JsonColumn.WriteNullable(plugin.BlueprintLabels))}, {p.AddJson(JsonColumn.WriteNullable(plugin.Labels))}, "
            + $"{p.AddJson(JsonColumn.WriteNullable(plugin.ResourceTags))}, {p.AddJson(JsonColumn.WriteStrings(plugin.YamlFiles))}) "
            + "ON CONFLICT DO NOTHING";

        // Zero rows: a concurrent upload of the same id or package won the unique index (PostgreSQL; SQLite's writer
        // gate already serialized the checks above).
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw PluginExists(plugin);
        }

        await WriteFilesAsync(session, files, onConflictNothing: false, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public Task<Plugin?> GetPluginAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {PluginColumns} FROM plugins pl WHERE pl.id = {p.Add(id)} AND {VisibleTo(p, tenantName)}",
            p,
            ReadPlugin,
            cancellationToken);
    }

    public Task<Page<Plugin>> ListPluginsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(FieldMaps.Plugins, PluginColumns, "plugins pl", VisibleTo(p, tenantName, query), p, query, ReadPlugin, cancellationToken);
    }

    public async Task<bool> DeletePluginAsync(string tenantName, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var deleted = await ExecuteAsync(session, $"DELETE FROM plugins WHERE id = {p.Add(id)} AND tenant = {p.Add(tenantName)}", p, cancellationToken);
        await DeleteResourceFilesAsync(session, tenantName, id, [ResourceKinds.Plugin], cancellationToken);
        await session.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public async Task<bool> SetPluginVisibilityAsync(
        string tenantName, string id, string expected, string visibility, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var gp = new SqlParameters();
        var current = await QueryAsync(
            session,
            $"SELECT {PluginColumns} FROM plugins pl WHERE pl.id = {gp.Add(id)} AND pl.tenant = {gp.Add(tenantName)}{Dialect.ForUpdate}",
            gp,
            ReadPlugin,
            cancellationToken);
        if (current.Count == 0 || current[0].Visibility != expected)
        {
            return false;
        }

        if (visibility == Visibility.Global)
        {
            await EnsureNoSamePackageAsync(session, current[0], visibility, cancellationToken);
        }

        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE plugins SET visibility = {p.Add(visibility)} WHERE id = {p.Add(id)} AND tenant = {p.Add(tenantName)} "
            + $"AND visibility = {p.Add(expected)}",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <summary>Cloudify's per-plugin uniqueness: package name + archive name, among the plugins the new one would meet.</summary>
    private async Task EnsureNoSamePackageAsync(WriteSession session, Plugin plugin, string visibility, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var scope = visibility == Visibility.Global ? "" : $" AND {VisibleTo(p, plugin.TenantName)}";
        var clash = await QueryAsync(
            session,
            $"SELECT pl.id FROM plugins pl WHERE pl.package_name = {p.Add(plugin.PackageName)} AND pl.archive_name = {p.Add(plugin.ArchiveName)} "
            + $"AND pl.id <> {p.Add(plugin.Id)}{scope}",
            p,
            r => r.String("id"),
            cancellationToken);
        if (clash.Count > 0)
        {
            throw visibility == Visibility.Global
                ? StratusException.Conflict(
                    $"Can't set or create the resource <Plugin id=`{plugin.Id}` tenant=`{plugin.TenantName}`>, its visibility can't be global because it also exists in other tenants")
                : PluginExists(plugin);
        }
    }

    private static string VisibleTo(SqlParameters p, string tenantName, ListQuery? query = null) =>
        $"({InTenants(p, "pl.tenant", tenantName, query ?? ListQuery.All)} OR pl.visibility = {p.Add(Visibility.Global)})";

    private static StratusException PluginExists(Plugin plugin) =>
        StratusException.Conflict(
            $"<Plugin id=`{plugin.Id}` tenant=`{plugin.TenantName}`> already exists on <Tenant name=`{plugin.TenantName}`> or with global visibility");

    private static Plugin ReadPlugin(Row row) => new()
    {
        Id = row.String("id"),
        TenantName = row.String("tenant"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        UploadedAt = row.Timestamp("uploaded_at"),
        PackageName = row.String("package_name"),
        PackageVersion = row.NullableString("package_version"),
        PackageSource = row.NullableString("package_source"),
        ArchiveName = row.String("archive_name"),
        Distribution = row.NullableString("distribution"),
        DistributionVersion = row.NullableString("distribution_version"),
        DistributionRelease = row.NullableString("distribution_release"),
        SupportedPlatform = row.NullableNode("supported_platform"),
        SupportedPyVersions = row.NullableNode("supported_py_versions"),
        Wheels = row.NullableNode("wheels"),
        ExcludedWheels = row.NullableNode("excluded_wheels"),
        Title = row.NullableString("title"),
        BlueprintLabels = row.NullableNode("blueprint_labels"),
        Labels = row.NullableNode("labels"),
        ResourceTags = row.NullableNode("resource_tags"),
        YamlFiles = row.Strings("yaml_files"),
    };
}

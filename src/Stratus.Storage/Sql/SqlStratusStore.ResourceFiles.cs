using System.Data;
using System.Data.Common;
using System.Security.Cryptography;

namespace Stratus.Storage.Sql;

/// <summary>
/// Uploaded files (<c>0015_resource_files.sql</c>): a header row per file and its content in <see cref="ChunkBytes"/>
/// chunks, written inside the write session of the resource's own row and deleted with it. A file always has at least
/// one chunk (an empty one for an empty file), so "no chunk" means "no such file".
/// </summary>
public abstract partial class SqlStratusStore
{
    /// <summary>Content per chunk row: large enough that a 500 MB wagon is 500 rows, small enough to hold in memory.</summary>
    internal const int ChunkBytes = 1024 * 1024;

    public async Task<IReadOnlyList<StoredResourceFile>> ListResourceFilesAsync(ResourceOwner owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT f.path, f.size, f.sha256, f.generation FROM resource_files f WHERE {OwnerCondition(p, owner)} ORDER BY f.path",
            p,
            r => new StoredResourceFile(r.String("path"), r.Long("size"), r.String("sha256"), r.String("generation")),
            cancellationToken);
    }

    public async Task<string?> GetResourceGenerationAsync(ResourceOwner owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var p = new SqlParameters();
        var rows = await ReadAsync(
            $"SELECT f.generation FROM resource_files f WHERE {OwnerCondition(p, owner)} LIMIT 1", p, r => r.String("generation"), cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<bool> CopyResourceFileAsync(
        ResourceOwner owner, string generation, string path, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(destination);
        var p = new SqlParameters();
        var sql = "SELECT c.data FROM resource_file_chunks c JOIN resource_files f ON f.id = c.file_id "
            + $"WHERE {OwnerCondition(p, owner)} AND f.path = {p.Add(path)} AND f.generation = {p.Add(generation)} ORDER BY c.seq";
        await using var connection = await Dialect.OpenReadAsync(cancellationToken);

        // One statement: the chunks all come from one snapshot even if the tree is replaced meanwhile.
        await using var command = Command(connection, null, sql, p);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        var found = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            found = true;
            await using var chunk = reader.GetStream(0);
            await chunk.CopyToAsync(destination, cancellationToken);
        }

        return found;
    }

    public async Task<bool> ImportResourceFilesAsync(ResourceFileSet files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var owner = files.Owner;
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var rp = new SqlParameters();
        var (table, tenantColumn) = OwnerTable(owner.Kind);
        var exists = await QueryAsync(
            session,
            $"SELECT id FROM {table} WHERE id = {rp.Add(owner.Id)} AND {tenantColumn} = {rp.Add(owner.Tenant)}{Dialect.ForShare}",
            rp,
            r => r.String("id"),
            cancellationToken);
        var fp = new SqlParameters();
        if (exists.Count == 0
            || await CountAsync(session.Connection, session.Transaction, $"SELECT COUNT(*) FROM resource_files f WHERE {OwnerCondition(fp, owner)}", fp, cancellationToken) > 0)
        {
            return false;
        }

        // A concurrent importer (PostgreSQL) that got here first holds the unique paths: this one stores nothing.
        if (!await WriteFilesAsync(session, [files], onConflictNothing: true, cancellationToken))
        {
            return false;
        }

        await session.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ResourceOwner>> ListResourcesWithoutFilesAsync(string kind, CancellationToken cancellationToken = default)
    {
        var (table, tenantColumn) = OwnerTable(kind);
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT r.{tenantColumn} AS tenant, r.id FROM {table} r WHERE NOT EXISTS (SELECT 1 FROM resource_files f "
                + $"WHERE f.kind = {p.Add(kind)} AND f.owner_id = r.id AND f.tenant = r.{tenantColumn}) ORDER BY r.{tenantColumn}, r.id",
            p,
            r => new ResourceOwner(r.String("tenant"), kind, r.String("id")),
            cancellationToken);
    }

    public async Task<string> RecordClusterSettingAsync(string name, string value, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        await ExecuteAsync(
            session, $"INSERT INTO cluster_settings (name, value) VALUES ({p.Add(name)}, {p.Add(value)}) ON CONFLICT (name) DO NOTHING", p, cancellationToken);
        var rp = new SqlParameters();
        var recorded = await QueryAsync(session, $"SELECT value FROM cluster_settings WHERE name = {rp.Add(name)}", rp, r => r.String("value"), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return recorded[0];
    }

    public async Task<string?> GetClusterSettingAsync(string name, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var rows = await ReadAsync($"SELECT value FROM cluster_settings WHERE name = {p.Add(name)}", p, r => r.String("value"), cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>Deletes the stored files of the given kinds of one resource (chunks go by cascade), in the caller's session.</summary>
    private Task<int> DeleteResourceFilesAsync(WriteSession session, string tenant, string id, IReadOnlyList<string> kinds, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        return ExecuteAsync(
            session,
            $"DELETE FROM resource_files WHERE kind IN ({p.AddList(kinds)}) AND owner_id = {p.Add(id)} AND tenant = {p.Add(tenant)}",
            p,
            cancellationToken);
    }

    /// <summary>
    /// Streams every file of <paramref name="sets"/> into the session: a header row, the chunks, then the header's size
    /// and SHA-256. False when <paramref name="onConflictNothing"/> and a path was already stored (nothing is kept then,
    /// provided the caller rolls back).
    /// </summary>
    private async Task<bool> WriteFilesAsync(WriteSession session, IReadOnlyList<ResourceFileSet> sets, bool onConflictNothing, CancellationToken cancellationToken)
    {
        var now = Now();
        var buffer = new byte[ChunkBytes];
        foreach (var set in sets)
        {
            var owner = set.Owner;
            if (owner.Tenant is null || !ResourceKinds.All.Contains(owner.Kind))
            {
                throw new ArgumentException($"Files need a tenant and a known kind, got {owner}", nameof(sets));
            }

            foreach (var file in set.Files)
            {
                if (!await WriteFileAsync(session, set, file, now, onConflictNothing, buffer, cancellationToken))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private async Task<bool> WriteFileAsync(
        WriteSession session, ResourceFileSet set, ResourceFileSource file, DateTimeOffset now, bool onConflictNothing, byte[] buffer, CancellationToken cancellationToken)
    {
        RequireRelativePath(file.Path);
        var id = Guid.NewGuid().ToString("N");
        var hp = new SqlParameters();
        var inserted = await ExecuteAsync(
            session,
            "INSERT INTO resource_files (id, tenant, kind, owner_id, generation, path, size, sha256, created_at) VALUES ("
                + $"{hp.Add(id)}, {hp.Add(set.Owner.Tenant)}, {hp.Add(set.Owner.Kind)}, {hp.Add(set.Owner.Id)}, {hp.Add(set.Generation)}, "
                + $"{hp.Add(file.Path)}, {hp.Add(0L)}, {hp.Add("")}, {hp.Add(now)})" + (onConflictNothing ? " ON CONFLICT DO NOTHING" : ""),
            hp,
            cancellationToken);
        if (inserted == 0)
        {
            return false;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var cp = new SqlParameters();
        var fileParameter = cp.Add(id);
        var seqParameter = cp.Add(0);
        var dataParameter = cp.Add(Array.Empty<byte>());
        await using var insert = Command(
            session.Connection, session.Transaction, $"INSERT INTO resource_file_chunks (file_id, seq, data) VALUES ({fileParameter}, {seqParameter}, {dataParameter})", cp);
        await using (var source = file.Open())
        {
            for (var seq = 0; ; seq++)
            {
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, ChunkBytes), ChunkBytes, throwOnEndOfStream: false, cancellationToken);
                if (read == 0 && seq > 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                size += read;
                insert.Parameters[1].Value = seq;
                insert.Parameters[2].Value = read == ChunkBytes ? buffer : buffer[..read];
                await insert.ExecuteNonQueryAsync(cancellationToken);
                if (read < ChunkBytes)
                {
                    break;
                }
            }
        }

        var up = new SqlParameters();
        await ExecuteAsync(
            session,
            $"UPDATE resource_files SET size = {up.Add(size)}, sha256 = {up.Add(Convert.ToHexStringLower(hash.GetHashAndReset()))} WHERE id = {up.Add(id)}",
            up,
            cancellationToken);
        return true;
    }

    private static void RequireRelativePath(string path)
    {
        var segments = path.Split('/');
        if (path.Length == 0 || segments.Any(s => s is "" or "." or ".." || s.Contains('\\', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"`{path}` is not a relative path of plain segments", nameof(path));
        }
    }

    /// <summary>The owner's rows; a null tenant matches any (plugin ids are unique across tenants).</summary>
    private static string OwnerCondition(SqlParameters p, ResourceOwner owner) =>
        $"f.kind = {p.Add(owner.Kind)} AND f.owner_id = {p.Add(owner.Id)}" + (owner.Tenant is null ? "" : $" AND f.tenant = {p.Add(owner.Tenant)}");

    private static (string Table, string TenantColumn) OwnerTable(string kind) => kind switch
    {
        ResourceKinds.Blueprint or ResourceKinds.UploadedBlueprint => ("blueprints", "tenant"),
        ResourceKinds.Plugin => ("plugins", "tenant"),
        ResourceKinds.Deployment => ("deployments", "tenant"),
        _ => throw new ArgumentException($"Unknown resource kind `{kind}`", nameof(kind)),
    };
}

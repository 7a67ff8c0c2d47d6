using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    public async Task<AgentRecord?> SetAgentBrokerUserAsync(
        string tenantName, string name, string username, string sealedPassword, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        // Compare-and-set: the first password stored wins, so two managers creating the user at once agree on one.
        await ExecuteAsync(
            session,
            $"UPDATE agents SET rabbitmq_username = {p.Add(username)}, rabbitmq_password = {p.Add(sealedPassword)}, updated_at = {p.Add(at)} "
            + $"WHERE id = {p.Add(name)} AND tenant = {p.Add(tenantName)} AND rabbitmq_password IS NULL",
            p,
            cancellationToken);
        var read = new SqlParameters();
        var rows = await QueryAsync(
            session,
            $"SELECT {AgentColumns} FROM agents a WHERE a.id = {read.Add(name)} AND a.tenant = {read.Add(tenantName)}",
            read,
            ReadAgent,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<bool> ClearAgentBrokerUserAsync(string tenantName, string name, string sealedPassword, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE agents SET rabbitmq_username = NULL, rabbitmq_password = NULL "
            + $"WHERE id = {p.Add(name)} AND tenant = {p.Add(tenantName)} AND rabbitmq_password = {p.Add(sealedPassword)}",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task<IReadOnlyList<string>> ListAgentBrokerUsersAsync(CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT a.rabbitmq_username FROM agents a WHERE a.rabbitmq_username IS NOT NULL AND a.state <> {p.Add(AgentState.Deleted)} ORDER BY a.rabbitmq_username",
            p,
            r => r.String("rabbitmq_username"),
            cancellationToken);
    }
}

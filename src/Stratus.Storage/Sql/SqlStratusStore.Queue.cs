using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

/// <summary>Dequeuing: which queued executions may start now, moved to pending by compare-and-set.</summary>
public abstract partial class SqlStratusStore
{
    public async Task<IReadOnlyList<Execution>> DequeueExecutionsAsync(int maxActive, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await Dialect.LockExecutionQueueAsync(session, cancellationToken);

        var candidates = await SystemCandidatesAsync(session, cancellationToken);
        if (candidates is null)
        {
            var ap = new SqlParameters();
            var active = await CountAsync(
                session.Connection,
                session.Transaction,
                $"SELECT COUNT(*) FROM executions WHERE status IN ({ap.AddList(ExecutionStatus.ActiveStates)})",
                ap,
                cancellationToken);
            var room = maxActive - (int)Math.Min(active, int.MaxValue);
            if (room <= 0)
            {
                return [];
            }

            var dp = new SqlParameters();
            var deployments = await QueryAsync(
                session, DeploymentCandidatesSql(dp, room), dp, r => (Tenant: r.String("tenant"), Id: r.String("deployment_id")), cancellationToken);
            if (deployments.Count == 0)
            {
                return [];
            }

            // A start on one of these deployments locks its row before it checks for active executions; locking them
            // here too, then selecting again, keeps a dequeue and a start from both running on one deployment.
            var lp = new SqlParameters();
            var keys = string.Join(" OR ", deployments.Select(d => $"(tenant = {lp.Add(d.Tenant)} AND id = {lp.Add(d.Id)})"));
            await QueryAsync(session, $"SELECT id FROM deployments WHERE {keys}{Dialect.ForUpdate}", lp, r => r.String("id"), cancellationToken);
            var cp = new SqlParameters();
            candidates = await QueryAsync(session, DeploymentCandidatesSql(cp, room), cp, ReadExecution, cancellationToken);
        }

        var started = new List<Execution>();
        foreach (var execution in candidates)
        {
            var p = new SqlParameters();
            var changed = await ExecuteAsync(
                session,
                $"UPDATE executions SET status = {p.Add(ExecutionStatus.Pending)} WHERE id = {p.Add(execution.Id)} AND status = {p.Add(ExecutionStatus.Queued)}",
                p,
                cancellationToken);
            if (changed > 0)
            {
                started.Add(execution with { Status = ExecutionStatus.Pending });
            }
        }

        await session.CommitAsync(cancellationToken);
        return started;
    }

    public async Task<bool> TryResumeExecutionAsync(
        string id, IReadOnlyList<string> expectedFrom, IReadOnlyList<string> resetOperationStates, string tokenHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expectedFrom);
        ArgumentNullException.ThrowIfNull(resetOperationStates);
        if (expectedFrom.Count == 0)
        {
            return false;
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE executions SET status = {p.Add(ExecutionStatus.Pending)}, ended_at = NULL, error = {p.Add("")}, resume = {p.Add(true)}, "
                + $"token_hash = {p.Add(tokenHash)} WHERE id = {p.Add(id)} AND status IN ({p.AddList(expectedFrom)})",
            p,
            cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        if (resetOperationStates.Count > 0)
        {
            var op = new SqlParameters();
            await ExecuteAsync(
                session,
                // A reset operation runs as a new attempt when its attempt was claimed: a late delivery of the old one is
                // then refused as finished (and the engine restores it at that next attempt).
                $"UPDATE operations SET state = {op.Add("pending")}, "
                    + "attempt = CASE WHEN claimed_attempt >= attempt THEN claimed_attempt + 1 ELSE attempt END "
                    + $"WHERE state IN ({op.AddList(resetOperationStates)}) "
                    + $"AND graph_id IN (SELECT g.id FROM tasks_graphs g WHERE g.execution_id = {op.Add(id)})",
                op,
                cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Null when no system workflow is active or queued (deployments' executions may go); otherwise the oldest queued
    /// system workflow if nothing at all is active, or nothing.
    /// </summary>
    private async Task<List<Execution>?> SystemCandidatesAsync(WriteSession session, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        var system = await QueryAsync(
            session,
            $"SELECT {ExecutionColumns} FROM executions x WHERE x.is_system_workflow = {p.Add(true)} "
                + $"AND x.status IN ({p.AddList([.. ExecutionStatus.ActiveStates, ExecutionStatus.Queued])}) ORDER BY x.created_at, x.id",
            p,
            ReadExecution,
            cancellationToken);
        if (system.Count == 0)
        {
            return null;
        }

        var ap = new SqlParameters();
        var anyActive = await CountAsync(
            session.Connection,
            session.Transaction,
            $"SELECT COUNT(*) FROM executions WHERE status IN ({ap.AddList(ExecutionStatus.ActiveStates)})",
            ap,
            cancellationToken);
        var firstQueued = system.FirstOrDefault(e => e.Status == ExecutionStatus.Queued);
        return anyActive == 0 && firstQueued is not null ? [firstQueued] : [];
    }

    /// <summary>The oldest queued execution of each deployment that has no active execution, oldest first.</summary>
    private static string DeploymentCandidatesSql(SqlParameters p, int limit) => $"SELECT {ExecutionColumns} FROM executions x WHERE x.status = {p.Add(ExecutionStatus.Queued)} "
            + $"AND x.is_system_workflow = {p.Add(false)} AND x.deployment_id IS NOT NULL "
            + "AND NOT EXISTS (SELECT 1 FROM executions y WHERE y.tenant = x.tenant AND y.deployment_id = x.deployment_id "
            + $"AND y.status IN ({p.AddList(ExecutionStatus.ActiveStates)})) "
            + "AND NOT EXISTS (SELECT 1 FROM executions z WHERE z.tenant = x.tenant AND z.deployment_id = x.deployment_id "
            + $"AND z.status = {p.Add(ExecutionStatus.Queued)} AND (z.created_at < x.created_at OR (z.created_at = x.created_at AND z.id < x.id))) "
            + $"ORDER BY x.created_at, x.id LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

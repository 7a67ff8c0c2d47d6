using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    public async Task<OperationClaimResult> ClaimOperationAsync(OperationClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var attempt = p.Add(claim.Attempt);
        var claimId = p.Add(claim.ClaimId);
        // One compare-and-set: a new attempt, the same claimant again (its earlier answer was lost), or an attempt whose
        // claim the execution's run released (its holder's manager is gone: ReleaseOrphanedOperationClaimsAsync);
        // never an attempt that has finished (the engine recorded its end or moved on to a later one: a redelivery of a
        // message whose agent died between replying and acking), nor anything once the operation succeeded.
        var changed = await ExecuteAsync(
            session,
            $"UPDATE operations SET state = {p.Add(OperationStates.Started)}, attempt = {attempt}, claimed_attempt = {attempt}, claimed_by = {claimId}, "
                + $"claimed_at = {p.Add(claim.ClaimedAt)}, agent_name = {p.Add(claim.AgentName)}, manager_name = {p.Add(claim.ManagerName)} "
                + $"WHERE {ClaimScope(claim, p)} AND state <> {p.Add(OperationStates.Succeeded)} "
                + $"AND (attempt < {attempt} OR (attempt = {attempt} AND state NOT IN ({p.AddList(OperationStates.Ended)}))) "
                + $"AND (claimed_attempt IS NULL OR claimed_attempt < {attempt} "
                + $"OR (claimed_attempt = {attempt} AND (claimed_by = {claimId} OR claimed_by IS NULL)))",
            p,
            cancellationToken);
        if (changed > 0)
        {
            await session.CommitAsync(cancellationToken);
            return OperationClaimResult.Claimed;
        }

        var rp = new SqlParameters();
        var held = await QueryAsync(
            session,
            $"SELECT state, attempt, claimed_attempt, agent_name FROM operations WHERE {ClaimScope(claim, rp)}",
            rp,
            r => new OperationClaimResult(
                OperationClaimOutcome.Refused, r.String("state"), r.NullableInt("claimed_attempt"), r.NullableString("agent_name"), r.Int("attempt")),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return held.Count == 0 ? OperationClaimResult.NotFound : held[0];
    }

    public async Task<IReadOnlyList<(string Id, int Attempt)>> ListOrphanedOperationClaimsAsync(
        IReadOnlyList<string> operationIds, ClaimHolderCheck holders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        ArgumentNullException.ThrowIfNull(holders);
        if (operationIds.Count == 0)
        {
            return [];
        }

        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT id, claimed_attempt FROM operations WHERE id IN ({p.AddList(operationIds)}) AND claimed_attempt IS NOT NULL "
                + $"AND state NOT IN ({p.Add(OperationStates.Succeeded)}, {p.Add(OperationStates.Failed)}) AND {OrphanedClaim(p, holders)} ORDER BY id",
            p,
            r => (r.String("id"), r.Int("claimed_attempt")),
            cancellationToken);
    }

    public async Task<IReadOnlyList<(string Id, int Attempt)>> ReleaseOrphanedOperationClaimsAsync(
        IReadOnlyList<string> operationIds, ClaimHolderCheck holders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        ArgumentNullException.ThrowIfNull(holders);
        if (operationIds.Count == 0)
        {
            return [];
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        // The orphan rule is judged again inside the compare-and-set: a holder that beat again, or a claim taken
        // over meanwhile by a live manager's agent, is not released.
        var released = await QueryAsync(
            session,
            $"UPDATE operations SET claimed_by = NULL WHERE id IN ({p.AddList(operationIds)}) AND claimed_attempt IS NOT NULL "
                + $"AND state NOT IN ({p.Add(OperationStates.Succeeded)}, {p.Add(OperationStates.Failed)}) AND {OrphanedClaim(p, holders)} "
                + "RETURNING id, claimed_attempt",
            p,
            r => (r.String("id"), r.Int("claimed_attempt")),
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return [.. released.OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }

    private static string ClaimScope(OperationClaim claim, SqlParameters p) =>
        $"id = {p.Add(claim.OperationId)} AND tenant = {p.Add(claim.TenantName)}"
        + (claim.ExecutionId is { } executionId
            ? $" AND graph_id IN (SELECT id FROM tasks_graphs WHERE execution_id = {p.Add(executionId)})"
            : "");

    /// <summary>
    /// A claim made by a manager's own agent whose manager has no live row: gone (a graceful stop deletes it), silent
    /// since <see cref="ClaimHolderCheck.HoldersSeenSince"/>, or started again after the claim (kill -9 and restart under
    /// the same name); judged only while the observer's own chain of beats shows unbroken contact with the database
    /// over that whole silence (<see cref="ClaimHolderCheck"/>).
    /// </summary>
    private static string OrphanedClaim(SqlParameters p, ClaimHolderCheck holders)
    {
        if (holders.Observer is null)
        {
            return "(1 = 0)";
        }

        var seenSince = p.Add(holders.HoldersSeenSince);
        return "(operations.manager_name IS NOT NULL AND NOT EXISTS (SELECT 1 FROM managers m WHERE m.name = operations.manager_name "
            + $"AND m.started_at <= operations.claimed_at AND m.last_seen >= {seenSince}) "
            + $"AND EXISTS (SELECT 1 FROM managers o WHERE o.name = {p.Add(holders.Observer)} AND o.contact_since <= {seenSince} "
            + $"AND o.next_beat_by >= {p.Add(holders.Now)}))";
    }
}

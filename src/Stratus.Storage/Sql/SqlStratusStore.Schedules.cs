using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string ScheduleColumns =
        "s.tenant, s.deployment_id, s.id, s.created_by, s.visibility, s.created_at, s.workflow_id, s.parameters, "
        + "s.execution_arguments, s.since, s.until, s.rule, s.slip, s.stop_on_fail, s.enabled, s.next_occurrence, s.latest_execution_id";

    public async Task InsertExecutionScheduleAsync(ExecutionSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var dp = new SqlParameters();
        var deployment = await QueryAsync(
            session,
            $"SELECT id FROM deployments WHERE tenant = {dp.Add(schedule.TenantName)} AND id = {dp.Add(schedule.DeploymentId)}{Dialect.ForShare}",
            dp,
            r => r.String("id"),
            cancellationToken);
        if (deployment.Count == 0)
        {
            throw NotFound("Deployment", schedule.DeploymentId);
        }

        var p = new SqlParameters();
        var sql = "INSERT INTO execution_schedules (tenant, deployment_id, id, created_by, visibility, created_at, workflow_id, parameters, "
            + "execution_arguments, since, until, rule, slip, stop_on_fail, enabled, next_occurrence, latest_execution_id) VALUES ("
            + $"{p.Add(schedule.TenantName)}, {p.Add(schedule.DeploymentId)}, {p.Add(schedule.Id)}, {p.Add(schedule.CreatedBy)}, "
            + $"{p.Add(schedule.Visibility)}, {p.Add(schedule.CreatedAt)}, {p.Add(schedule.WorkflowId)}, "
            + $"{p.AddJson(JsonColumn.WriteNullable(schedule.Parameters))}, {p.AddJson(JsonColumn.Write(schedule.ExecutionArguments))}, "
            + $"{p.Add(schedule.Since)}, {p.Add(schedule.Until)}, {p.AddJson(JsonColumn.Write(schedule.Rule))}, {p.Add(schedule.Slip)}, "
            + $"{p.Add(schedule.StopOnFail)}, {p.Add(schedule.Enabled)}, {p.Add(schedule.NextOccurrence)}, {p.Add(schedule.LatestExecutionId)}) "
            + "ON CONFLICT (tenant, deployment_id, id) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw Core.Errors.StratusException.Conflict(
                $"ExecutionSchedule with ID `{schedule.Id}` already exists on deployment `{schedule.DeploymentId}`");
        }

        await session.CommitAsync(cancellationToken);
    }

    public Task<ExecutionSchedule?> GetExecutionScheduleAsync(string tenantName, string deploymentId, string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {ScheduleColumns} FROM execution_schedules s WHERE s.tenant = {p.Add(tenantName)} "
                + $"AND s.deployment_id = {p.Add(deploymentId)} AND s.id = {p.Add(id)}",
            p,
            ReadSchedule,
            cancellationToken);
    }

    public Task<Page<ExecutionSchedule>> ListExecutionSchedulesAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(
            FieldMaps.ExecutionSchedules, ScheduleColumns, "execution_schedules s", InTenants(p, "s.tenant", tenantName, query), p, query, ReadSchedule, cancellationToken);
    }

    public async Task<bool> UpdateExecutionScheduleAsync(ExecutionSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE execution_schedules SET workflow_id = {p.Add(schedule.WorkflowId)}, since = {p.Add(schedule.Since)}, "
                + $"until = {p.Add(schedule.Until)}, rule = {p.AddJson(JsonColumn.Write(schedule.Rule))}, slip = {p.Add(schedule.Slip)}, "
                + $"stop_on_fail = {p.Add(schedule.StopOnFail)}, enabled = {p.Add(schedule.Enabled)}, "
                + $"next_occurrence = {p.Add(schedule.NextOccurrence)} "
                + $"WHERE {ScheduleKey(p, schedule.TenantName, schedule.DeploymentId, schedule.Id)}",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task<bool> DeleteExecutionScheduleAsync(string tenantName, string deploymentId, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var deleted = await ExecuteAsync(session, $"DELETE FROM execution_schedules WHERE {ScheduleKey(p, tenantName, deploymentId, id)}", p, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    public Task<IReadOnlyList<ExecutionSchedule>> ListDueExecutionSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadListAsync(
            $"SELECT {ScheduleColumns} FROM execution_schedules s WHERE s.enabled = {p.Add(true)} AND s.next_occurrence IS NOT NULL "
                + $"AND s.next_occurrence < {p.Add(now)} ORDER BY s.next_occurrence, s.tenant, s.deployment_id, s.id "
                + $"LIMIT {Math.Max(1, limit).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            p,
            cancellationToken);
    }

    public async Task<bool> TryAdvanceExecutionScheduleAsync(
        ExecutionSchedule schedule, DateTimeOffset expectedNext, DateTimeOffset? next, bool enabled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE execution_schedules SET next_occurrence = {p.Add(next)}, enabled = {p.Add(enabled)} "
                + $"WHERE {ScheduleKey(p, schedule.TenantName, schedule.DeploymentId, schedule.Id)} AND next_occurrence = {p.Add(expectedNext)}",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task SetScheduleLatestExecutionAsync(ExecutionSchedule schedule, string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        await ExecuteAsync(
            session,
            $"UPDATE execution_schedules SET latest_execution_id = {p.Add(executionId)} "
                + $"WHERE {ScheduleKey(p, schedule.TenantName, schedule.DeploymentId, schedule.Id)}",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<ExecutionSchedule>> ReadListAsync(string sql, SqlParameters p, CancellationToken cancellationToken) =>
        await ReadAsync(sql, p, ReadSchedule, cancellationToken);

    private static string ScheduleKey(SqlParameters p, string tenant, string deploymentId, string id) =>
        $"tenant = {p.Add(tenant)} AND deployment_id = {p.Add(deploymentId)} AND id = {p.Add(id)}";

    private static ExecutionSchedule ReadSchedule(Row row) => new()
    {
        TenantName = row.String("tenant"),
        DeploymentId = row.String("deployment_id"),
        Id = row.String("id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        CreatedAt = row.Timestamp("created_at"),
        WorkflowId = row.String("workflow_id"),
        Parameters = row.NullableObject("parameters"),
        ExecutionArguments = row.Object("execution_arguments"),
        Since = row.NullableTimestamp("since"),
        Until = row.NullableTimestamp("until"),
        Rule = row.Object("rule"),
        Slip = row.Int("slip"),
        StopOnFail = row.Bool("stop_on_fail"),
        Enabled = row.Bool("enabled"),
        NextOccurrence = row.NullableTimestamp("next_occurrence"),
        LatestExecutionId = row.NullableString("latest_execution_id"),
    };
}

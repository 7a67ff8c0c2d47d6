using Stratus.Core.Errors;
using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string ExecutionColumns =
        "x.tenant, x.id, x.created_by, x.visibility, x.workflow_id, x.deployment_id, x.blueprint_id, x.status, x.error, "
        + "x.parameters, x.is_system_workflow, x.is_dry_run, x.allow_custom_parameters, x.created_at, x.started_at, x.ended_at, "
        + "x.total_operations, x.finished_operations, x.token_hash, x.resume";

    public async Task InsertExecutionAsync(Execution execution, bool exclusiveOnDeployment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        if (execution.DeploymentId is { } deploymentId)
        {
            // Locking the deployment row (PostgreSQL) or holding the writer gate (SQLite) makes the check for running
            // executions and the insert one step: two exclusive starts on a deployment cannot both see it idle. A queued
            // execution counts as running (Cloudify's _check_for_active_executions): a new one may not overtake it.
            var dp = new SqlParameters();
            var deployment = await QueryAsync(
                session,
                $"SELECT id FROM deployments WHERE tenant = {dp.Add(execution.TenantName)} AND id = {dp.Add(deploymentId)}{Dialect.ForUpdate}",
                dp,
                r => r.String("id"),
                cancellationToken);
            if (deployment.Count == 0)
            {
                throw NotFound("Deployment", deploymentId);
            }

            if (exclusiveOnDeployment)
            {
                var rp = new SqlParameters();
                var running = await QueryAsync(
                    session,
                    $"SELECT {ExecutionColumns} FROM executions x WHERE x.tenant = {rp.Add(execution.TenantName)} "
                        + $"AND x.deployment_id = {rp.Add(deploymentId)} "
                        + $"AND x.status IN ({rp.AddList([.. ExecutionStatus.ActiveStates, ExecutionStatus.Queued])}) ORDER BY x.created_at, x.id",
                    rp,
                    ReadExecution,
                    cancellationToken);
                if (running.Count > 0)
                {
                    var described = string.Join(
                        ", ",
                        running.Select(r => $"<Execution id=`{r.Id}` tenant=`{r.TenantName}` status=`{r.Status}` workflow_id=`{r.WorkflowId}`>"));
                    throw new StratusException(
                        ErrorCodes.ExistingRunningExecution,
                        400,
                        $"The following executions are currently running for this deployment: [{described}]. "
                            + "To execute this workflow anyway, pass \"force=true\" as a query parameter to this request");
                }
            }
        }

        var p = new SqlParameters();
        var sql = "INSERT INTO executions (tenant, id, created_by, visibility, workflow_id, deployment_id, blueprint_id, status, error, "
            + "parameters, is_system_workflow, is_dry_run, allow_custom_parameters, created_at, started_at, ended_at, total_operations, "
            + "finished_operations, token_hash, resume) VALUES ("
            + $"{p.Add(execution.TenantName)}, {p.Add(execution.Id)}, {p.Add(execution.CreatedBy)}, {p.Add(execution.Visibility)}, "
            + $"{p.Add(execution.WorkflowId)}, {p.Add(execution.DeploymentId)}, {p.Add(execution.BlueprintId)}, {p.Add(execution.Status)}, "
            + $"{p.Add(execution.Error)}, {p.AddJson(JsonColumn.Write(execution.Parameters))}, {p.Add(execution.IsSystemWorkflow)}, "
            + $"{p.Add(execution.IsDryRun)}, {p.Add(execution.AllowCustomParameters)}, {p.Add(execution.CreatedAt)}, "
            + $"{p.Add(execution.StartedAt)}, {p.Add(execution.EndedAt)}, {p.Add(execution.TotalOperations)}, "
            + $"{p.Add(execution.FinishedOperations)}, {p.Add(execution.TokenHash)}, {p.Add(execution.Resume)}) ON CONFLICT (id) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw Duplicate("Execution", execution.Id, execution.TenantName);
        }

        await session.CommitAsync(cancellationToken);
    }

    public Task<Execution?> GetExecutionAsync(string? tenantName, string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        var tenant = tenantName is null ? "" : $" AND x.tenant = {p.Add(tenantName)}";
        return ReadOneAsync($"SELECT {ExecutionColumns} FROM executions x WHERE x.id = {p.Add(id)}{tenant}", p, ReadExecution, cancellationToken);
    }

    public Task<Execution?> GetExecutionByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync(
            $"SELECT {ExecutionColumns} FROM executions x WHERE (x.token_hash = {p.Add(tokenHash)} OR x.previous_token_hash = {p.Add(tokenHash)}) "
                + $"AND x.status IN ({p.AddList(ExecutionStatus.ActiveStates)})",
            p,
            ReadExecution,
            cancellationToken);
    }

    public Task<Page<Execution>> ListExecutionsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(
            FieldMaps.Executions, ExecutionColumns, "executions x", InTenants(p, "x.tenant", tenantName, query), p, query, ReadExecution, cancellationToken);
    }

    public async Task<bool> TryTransitionExecutionAsync(string id, ExecutionTransition transition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (transition.ExpectedFrom.Count == 0)
        {
            return false;
        }

        var p = new SqlParameters();
        var sets = new List<string> { $"status = {p.Add(transition.To)}" };
        if (transition.Error is not null)
        {
            sets.Add($"error = {p.Add(transition.Error)}");
        }

        if (transition.StartedAt is { } startedAt)
        {
            sets.Add($"started_at = {p.Add(startedAt)}");
        }

        if (transition.EndedAt is { } endedAt)
        {
            sets.Add($"ended_at = {p.Add(endedAt)}");
        }
        else if (transition.ClearEndedAt)
        {
            sets.Add("ended_at = NULL");
        }

        if (transition.Resume is { } resume)
        {
            sets.Add($"resume = {p.Add(resume)}");
        }

        if (transition.TokenHash is { } tokenHash)
        {
            sets.Add($"token_hash = {p.Add(tokenHash)}");
        }

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var changed = await ExecuteAsync(
            session,
            $"UPDATE executions SET {string.Join(", ", sets)} WHERE id = {p.Add(id)} AND status IN ({p.AddList(transition.ExpectedFrom)})",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task UpdateExecutionProgressAsync(string id, int totalOperations, int finishedOperations, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            $"UPDATE executions SET total_operations = {p.Add(totalOperations)}, finished_operations = {p.Add(finishedOperations)} "
                + $"WHERE id = {p.Add(id)}",
            p,
            cancellationToken);
        if (changed == 0)
        {
            throw NotFound("Execution", id);
        }

        await session.CommitAsync(cancellationToken);
    }

    public async Task<bool> SetExecutionTokenHashAsync(string id, string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        var changed = await ExecuteAsync(
            session,
            // The replaced token stays valid: operations sent by the previous run (another manager's) still carry it.
            $"UPDATE executions SET previous_token_hash = token_hash, token_hash = {p.Add(tokenHash)} WHERE id = {p.Add(id)} "
                + $"AND status IN ({p.AddList(ExecutionStatus.ActiveStates)})",
            p,
            cancellationToken);
        await session.CommitAsync(cancellationToken);
        return changed > 0;
    }

    public async Task<IReadOnlyList<Execution>> ListExecutionsByStatusAsync(IReadOnlyList<string> statuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        if (statuses.Count == 0)
        {
            return [];
        }

        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT {ExecutionColumns} FROM executions x WHERE x.status IN ({p.AddList(statuses)}) ORDER BY x.created_at, x.id",
            p,
            ReadExecution,
            cancellationToken);
    }

    private static Execution ReadExecution(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        CreatedBy = row.String("created_by"),
        Visibility = row.String("visibility"),
        WorkflowId = row.String("workflow_id"),
        DeploymentId = row.NullableString("deployment_id"),
        BlueprintId = row.NullableString("blueprint_id"),
        Status = row.String("status"),
        Error = row.String("error"),
        Parameters = row.Object("parameters"),
        IsSystemWorkflow = row.Bool("is_system_workflow"),
        IsDryRun = row.Bool("is_dry_run"),
        AllowCustomParameters = row.Bool("allow_custom_parameters"),
        CreatedAt = row.Timestamp("created_at"),
        StartedAt = row.NullableTimestamp("started_at"),
        EndedAt = row.NullableTimestamp("ended_at"),
        TotalOperations = row.Int("total_operations"),
        FinishedOperations = row.Int("finished_operations"),
        TokenHash = row.NullableString("token_hash"),
        Resume = row.Bool("resume"),
    };
}

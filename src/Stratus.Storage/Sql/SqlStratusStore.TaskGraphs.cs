using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string TaskGraphColumns = "g.tenant, g.id, g.execution_id, g.name, g.state, g.created_at";

    private const string OperationColumns =
        "o.tenant, o.id, o.graph_id, o.name, o.state, o.dependencies, o.type, o.parameters, o.manager_name, o.agent_name, o.created_at, o.claimed_attempt, o.claimed_by, o.attempt";

    public async Task InsertTaskGraphAsync(TaskGraph graph, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(operations);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var ep = new SqlParameters();
        var execution = await QueryAsync(
            session, $"SELECT id FROM executions WHERE id = {ep.Add(graph.ExecutionId)}", ep, r => r.String("id"), cancellationToken);
        if (execution.Count == 0)
        {
            throw NotFound("Execution", graph.ExecutionId);
        }

        var p = new SqlParameters();
        var sql = "INSERT INTO tasks_graphs (tenant, id, execution_id, name, state, created_at) VALUES ("
            + $"{p.Add(graph.TenantName)}, {p.Add(graph.Id)}, {p.Add(graph.ExecutionId)}, {p.Add(graph.Name)}, {p.Add(graph.State)}, "
            + $"{p.Add(graph.CreatedAt)}) ON CONFLICT (id) DO NOTHING";
        if (await ExecuteAsync(session, sql, p, cancellationToken) == 0)
        {
            throw Duplicate("TasksGraph", graph.Id, graph.TenantName);
        }

        await InsertOperationRowsAsync(session, operations, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task InsertOperationsAsync(string graphId, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var gp = new SqlParameters();
        var graph = await QueryAsync(
            session, $"SELECT id FROM tasks_graphs WHERE id = {gp.Add(graphId)}", gp, r => r.String("id"), cancellationToken);
        if (graph.Count == 0)
        {
            throw NotFound("TasksGraph", graphId);
        }

        var ids = operations.Select(o => (object?)o.Id).ToList();
        if (ids.Count > 0)
        {
            var ip = new SqlParameters();
            var existing = await QueryAsync(
                session, $"SELECT id FROM operations WHERE id IN ({ip.AddList(ids)})", ip, r => r.String("id"), cancellationToken);
            if (existing.Count > 0)
            {
                throw Duplicate("Operation", existing[0], operations[0].TenantName);
            }
        }

        await InsertOperationRowsAsync(session, [.. operations.Select(o => o with { GraphId = graphId })], cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    private Task InsertOperationRowsAsync(WriteSession session, IReadOnlyList<OperationRecord> operations, CancellationToken cancellationToken) =>
        InsertBatchedAsync(
            session,
            "INSERT INTO operations (tenant, id, graph_id, name, state, dependencies, type, parameters, manager_name, agent_name, created_at, attempt)",
            operations,
            (o, op) => $"({op.Add(o.TenantName)}, {op.Add(o.Id)}, {op.Add(o.GraphId)}, {op.Add(o.Name)}, {op.Add(o.State)}, "
                + $"{op.AddJson(JsonColumn.WriteStrings(o.Dependencies))}, {op.Add(o.Type)}, {op.AddJson(JsonColumn.Write(o.Parameters))}, "
                + $"{op.Add(o.ManagerName)}, {op.Add(o.AgentName)}, {op.Add(o.CreatedAt)}, {op.Add(o.Attempt)})",
            cancellationToken);

    public async Task<IReadOnlyList<TaskGraph>> ListTaskGraphsAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT {TaskGraphColumns} FROM tasks_graphs g WHERE g.execution_id = {p.Add(executionId)} ORDER BY g.created_at, g.id",
            p,
            ReadTaskGraph,
            cancellationToken);
    }

    public async Task<IReadOnlyList<OperationRecord>> ListOperationsAsync(string graphId, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT {OperationColumns} FROM operations o WHERE o.graph_id = {p.Add(graphId)} ORDER BY o.created_at, o.id",
            p,
            ReadOperation,
            cancellationToken);
    }

    public Task<OperationRecord?> GetOperationAsync(string id, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return ReadOneAsync($"SELECT {OperationColumns} FROM operations o WHERE o.id = {p.Add(id)}", p, ReadOperation, cancellationToken);
    }

    public async Task<int> UpdateOperationStatesAsync(
        IReadOnlyList<(string Id, string State, int Attempt)> states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return 0;
        }

        var changed = 0;
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        if (Dialect.PrefersSingleRowStatements)
        {
            changed = await ExecuteEachAsync(
                session,
                states,
                (s, p) =>
                {
                    var attempt = p.Add(s.Attempt);
                    var state = p.Add(s.State);
                    return $"UPDATE operations SET state = {state}, attempt = {attempt} WHERE id = {p.Add(s.Id)} "
                        + $"AND {StateMayMove(p, state, attempt, p.Add(OperationStates.Rank(s.State)))}";
                },
                cancellationToken);
        }
        else
        {
            foreach (var chunk in states.Chunk(BatchRows))
            {
                var p = new SqlParameters();
                var ids = chunk.Select(s => p.Add(s.Id)).ToList();
                string Case(Func<(string Id, string State, int Attempt), object?> value) =>
                    "CASE id " + string.Join(" ", chunk.Select((s, i) => $"WHEN {ids[i]} THEN {p.Add(value(s))}")) + " END";
                var attempt = Case(s => s.Attempt);
                var state = Case(s => s.State);
                changed += await ExecuteAsync(
                    session,
                    $"UPDATE operations SET state = {state}, attempt = {attempt} WHERE id IN ({string.Join(", ", ids)}) "
                        + $"AND {StateMayMove(p, state, attempt, Case(s => OperationStates.Rank(s.State)))}",
                    p,
                    cancellationToken);
            }
        }

        await session.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>
    /// <see cref="OperationStates.MayReplace"/> in SQL, against the row as it is when the statement runs (PostgreSQL
    /// re-checks it on the locked row after a concurrent writer commits; SQLite runs it under the writer gate).
    /// </summary>
    private static string StateMayMove(SqlParameters p, string state, string attempt, string rank) =>
        $"(attempt < {attempt} OR (attempt = {attempt} AND (state = {state} "
        + $"OR (state NOT IN ({p.AddList(OperationStates.Ended)}) AND {StateRank(p)} <= {rank}))))";

    private static string StateRank(SqlParameters p) =>
        "CASE state " + string.Join(" ", OperationStates.Progress.Select(s => $"WHEN {p.Add(s)} THEN {p.Add(OperationStates.Rank(s))}"))
        + $" ELSE {p.Add(OperationStates.Rank(OperationStates.Succeeded))} END";

    public async Task UpdateTaskGraphStateAsync(string graphId, string state, CancellationToken cancellationToken = default)
    {
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var p = new SqlParameters();
        if (await ExecuteAsync(session, $"UPDATE tasks_graphs SET state = {p.Add(state)} WHERE id = {p.Add(graphId)}", p, cancellationToken) == 0)
        {
            throw NotFound("TasksGraph", graphId);
        }

        await session.CommitAsync(cancellationToken);
    }

    private static TaskGraph ReadTaskGraph(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        ExecutionId = row.String("execution_id"),
        Name = row.String("name"),
        State = row.String("state"),
        CreatedAt = row.Timestamp("created_at"),
    };

    private static OperationRecord ReadOperation(Row row) => new()
    {
        TenantName = row.String("tenant"),
        Id = row.String("id"),
        GraphId = row.String("graph_id"),
        Name = row.String("name"),
        State = row.String("state"),
        Dependencies = row.Strings("dependencies"),
        Type = row.String("type"),
        Parameters = row.Object("parameters"),
        ManagerName = row.NullableString("manager_name"),
        AgentName = row.NullableString("agent_name"),
        CreatedAt = row.Timestamp("created_at"),
        ClaimedAttempt = row.NullableInt("claimed_attempt"),
        ClaimedBy = row.NullableString("claimed_by"),
        Attempt = row.Int("attempt"),
    };
}

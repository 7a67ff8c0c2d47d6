using Stratus.Core.Model;

namespace Stratus.Storage.Sql;

public abstract partial class SqlStratusStore
{
    private const string EventColumns =
        "ev.storage_id, ev.type, ev.timestamp, ev.reported_timestamp, ev.execution_id, ev.tenant, ev.created_by, ev.visibility, "
        + "ex.deployment_id, ex.blueprint_id, ex.workflow_id, ev.event_type, ev.logger, ev.level, ev.message, ev.message_code, "
        + "ev.operation, ev.node_instance_id, ev.node_name, ev.source_id, ev.target_id, ev.error_causes, ev.manager_name, ev.agent_name";

    private const string EventSource = "events ev JOIN executions ex ON ex.id = ev.execution_id";

    public async Task InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        const string Insert = "INSERT INTO events (type, timestamp, reported_timestamp, execution_id, tenant, created_by, visibility, event_type, "
            + "logger, level, message, message_code, operation, node_instance_id, node_name, source_id, target_id, error_causes, manager_name, "
            + "agent_name, idempotency_key)";
        // A keyed event already stored (a resent batch, or a repeat within this one) is skipped; events without a key
        // are never in conflict.
        const string SkipStored = " ON CONFLICT DO NOTHING";

        // The statement is built before the transaction: writers of events are serialized (EventAppendLock), so only the
        // INSERT and the commit run under that lock.
        var parameters = new SqlParameters();
        var rows = Dialect.PrefersSingleRowStatements ? null : Dialect.SelectRows(parameters, EventRowKinds, [.. events.Select(EventRow)]);
        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        var executionIds = events.Select(e => e.ExecutionId).Distinct(StringComparer.Ordinal).ToList();
        var ep = new SqlParameters();
        var known = (await QueryAsync(
                session,
                $"SELECT id FROM executions WHERE id IN ({ep.AddList(executionIds)})",
                ep,
                r => r.String("id"),
                cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var missing = executionIds.FirstOrDefault(id => !known.Contains(id));
        if (missing is not null)
        {
            throw NotFound("Execution", missing);
        }

        if (rows is not null)
        {
            // One set-based statement for the whole batch, whatever its size, sent with the lock.
            await ExecuteAsync(session, Dialect.EventAppendLock + Insert + " " + rows + SkipStored, parameters, cancellationToken);
        }
        else
        {
            if (Dialect.EventAppendLock.Length > 0)
            {
                await ExecuteAsync(session, Dialect.EventAppendLock, new SqlParameters(), cancellationToken);
            }

            await InsertBatchedAsync(
                session,
                Insert,
                events,
                (e, p) => "(" + string.Join(", ", EventRow(e).Select((value, i) => EventRowKinds[i] == RowValueKind.Json ? p.AddJson((string?)value) : p.Add(value))) + ")",
                cancellationToken,
                SkipStored);
        }

        // Checkpoint: until this commit returns, none of the batch is stored; a caller that dies before it may resend
        // the whole batch without creating duplicates of a partial one.
        await session.CommitAsync(cancellationToken);
    }

    private static readonly RowValueKind[] EventRowKinds =
    [
        RowValueKind.Text, RowValueKind.Timestamp, RowValueKind.Timestamp, RowValueKind.Text, RowValueKind.Text, RowValueKind.Text,
        RowValueKind.Text, RowValueKind.Text, RowValueKind.Text, RowValueKind.Text, RowValueKind.Text, RowValueKind.Text,
        RowValueKind.Text, RowValueKind.Text, RowValueKind.Text, RowValueKind.Text, RowValueKind.Text, RowValueKind.Json,
        RowValueKind.Text, RowValueKind.Text, RowValueKind.Text,
    ];

    private static object?[] EventRow(StoredEvent e) =>
    [
        e.Type, e.Timestamp, e.ReportedTimestamp, e.ExecutionId, e.TenantName, e.CreatedBy, e.Visibility, e.EventType, e.Logger,
        e.Level, e.Message, e.MessageCode, e.Operation, e.NodeInstanceId, e.NodeName, e.SourceId, e.TargetId,
        JsonColumn.WriteNullable(e.ErrorCauses), e.ManagerName, e.AgentName, e.IdempotencyKey,
    ];

    public Task<Page<StoredEvent>> ListEventsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default)
    {
        var p = new SqlParameters();
        return PageAsync(FieldMaps.Events, EventColumns, EventSource, $"ev.tenant = {p.Add(tenantName)}", p, query, ReadEvent, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredEvent>> ListEventsAfterAsync(
        string executionId,
        long afterStorageId,
        int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var p = new SqlParameters();
        return await ReadAsync(
            $"SELECT {EventColumns} FROM {EventSource} WHERE ev.execution_id = {p.Add(executionId)} "
                + $"AND ev.storage_id > {p.Add(afterStorageId)} ORDER BY ev.storage_id LIMIT {p.Add((long)limit)}",
            p,
            ReadEvent,
            cancellationToken);
    }

    private static StoredEvent ReadEvent(Row row) => new()
    {
        StorageId = row.Long("storage_id"),
        Type = row.String("type"),
        Timestamp = row.Timestamp("timestamp"),
        ReportedTimestamp = row.Timestamp("reported_timestamp"),
        ExecutionId = row.String("execution_id"),
        TenantName = row.String("tenant"),
        CreatedBy = row.NullableString("created_by"),
        Visibility = row.String("visibility"),
        DeploymentId = row.NullableString("deployment_id"),
        BlueprintId = row.NullableString("blueprint_id"),
        WorkflowId = row.NullableString("workflow_id"),
        EventType = row.NullableString("event_type"),
        Logger = row.NullableString("logger"),
        Level = row.NullableString("level"),
        Message = row.String("message"),
        MessageCode = row.NullableString("message_code"),
        Operation = row.NullableString("operation"),
        NodeInstanceId = row.NullableString("node_instance_id"),
        NodeName = row.NullableString("node_name"),
        SourceId = row.NullableString("source_id"),
        TargetId = row.NullableString("target_id"),
        ErrorCauses = row.NullableArray("error_causes"),
        ManagerName = row.NullableString("manager_name"),
        AgentName = row.NullableString("agent_name"),
    };
}

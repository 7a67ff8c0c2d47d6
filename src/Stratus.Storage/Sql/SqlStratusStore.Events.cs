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

        await using var session = await Dialect.BeginWriteAsync(cancellationToken);
        await Dialect.LockEventAppendAsync(session, cancellationToken);
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

        await InsertBatchedAsync(
            session,
            "INSERT INTO events (type, timestamp, reported_timestamp, execution_id, tenant, created_by, visibility, event_type, logger, "
                + "level, message, message_code, operation, node_instance_id, node_name, source_id, target_id, error_causes, manager_name, "
                + "agent_name, idempotency_key)",
            events,
            (e, p) => $"({p.Add(e.Type)}, {p.Add(e.Timestamp)}, {p.Add(e.ReportedTimestamp)}, {p.Add(e.ExecutionId)}, "
                + $"{p.Add(e.TenantName)}, {p.Add(e.CreatedBy)}, {p.Add(e.Visibility)}, {p.Add(e.EventType)}, {p.Add(e.Logger)}, "
                + $"{p.Add(e.Level)}, {p.Add(e.Message)}, {p.Add(e.MessageCode)}, {p.Add(e.Operation)}, {p.Add(e.NodeInstanceId)}, "
                + $"{p.Add(e.NodeName)}, {p.Add(e.SourceId)}, {p.Add(e.TargetId)}, {p.AddJson(JsonColumn.WriteNullable(e.ErrorCauses))}, "
                + $"{p.Add(e.ManagerName)}, {p.Add(e.AgentName)}, {p.Add(e.IdempotencyKey)})",
            cancellationToken,
            // A keyed event already stored (a resent batch) is skipped; events without a key are never in conflict.
            " ON CONFLICT DO NOTHING");

        // Checkpoint: until this commit returns, none of the batch is stored; a caller that dies before it may resend
        // the whole batch without creating duplicates of a partial one.
        await session.CommitAsync(cancellationToken);
    }

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

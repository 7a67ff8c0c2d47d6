using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Inserts a batch of events and logs in one transaction (set-based).</summary>
    Task InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists events and logs ordered by storage id unless sorted otherwise. Filter fields: execution_id,
    /// deployment_id, blueprint_id, workflow_id, type (cloudify_event|cloudify_log), event_type, level, node_id,
    /// node_instance_id; range field: @timestamp / timestamp / reported_timestamp.
    /// </summary>
    Task<Page<StoredEvent>> ListEventsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Events of one execution after <paramref name="afterStorageId"/> (keyset), for live tailing.</summary>
    Task<IReadOnlyList<StoredEvent>> ListEventsAfterAsync(
        string executionId,
        long afterStorageId,
        int limit,
        CancellationToken cancellationToken = default);
}

using System.Globalization;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/events</c>: events and logs of an execution, oldest first, paged by <c>_offset</c>.</summary>
public sealed class EventsClient
{
    private readonly RestTransport _transport;

    internal EventsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<CloudifyEvent>> ListAsync(EventsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = new QueryBuilder();
        if (query.ExecutionId is { } executionId)
        {
            q.Add("execution_id", executionId);
        }

        if (query.DeploymentId is { } deploymentId)
        {
            q.Add("deployment_id", deploymentId);
        }

        q.Add("type", CloudifyEvent.EventType);
        q.AddIf(query.IncludeLogs, "type", CloudifyEvent.LogType);
        q.Add("_sort", query.Sort);
        q.Add("_offset", query.Offset.ToString(CultureInfo.InvariantCulture));
        q.Add("_size", query.Size.ToString(CultureInfo.InvariantCulture));
        return _transport.SendAsync<ListResponse<CloudifyEvent>>(HttpMethod.Get, _transport.Url("/events", q), null, cancellationToken);
    }
}

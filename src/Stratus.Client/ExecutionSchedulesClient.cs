using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/execution-schedules</c>: workflows run on a deployment at recurring times.</summary>
public sealed class ExecutionSchedulesClient
{
    private readonly RestTransport _transport;

    internal ExecutionSchedulesClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<ExecutionSchedule>> ListAsync(string? deploymentId = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        (options ?? new ListOptions()).WithFilter("deployment_id", deploymentId).AppendTo(query);
        return _transport.SendAsync<ListResponse<ExecutionSchedule>>(HttpMethod.Get, _transport.Url("/execution-schedules", query), null, cancellationToken);
    }

    public Task<ExecutionSchedule> GetAsync(string scheduleId, string deploymentId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ExecutionSchedule>(HttpMethod.Get, Url(scheduleId, deploymentId), null, cancellationToken);

    /// <summary>Creates a schedule; <paramref name="fields"/> holds workflow_id, since and the rule fields as the REST API names them.</summary>
    public Task<ExecutionSchedule> CreateAsync(string scheduleId, string deploymentId, JsonObject fields, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ExecutionSchedule>(HttpMethod.Put, Url(scheduleId, deploymentId), JsonBody.From(fields), cancellationToken);

    public Task<ExecutionSchedule> UpdateAsync(string scheduleId, string deploymentId, JsonObject fields, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ExecutionSchedule>(HttpMethod.Patch, Url(scheduleId, deploymentId), JsonBody.From(fields), cancellationToken);

    public Task DeleteAsync(string scheduleId, string deploymentId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, Url(scheduleId, deploymentId), null, cancellationToken);

    private Uri Url(string scheduleId, string deploymentId) =>
        _transport.Url($"/execution-schedules/{Uri.EscapeDataString(scheduleId)}", new QueryBuilder().Add("deployment_id", deploymentId));
}

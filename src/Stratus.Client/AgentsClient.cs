using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/agents</c>: list (by deployment, nodes, node instances, install methods) and get.</summary>
public sealed class AgentsClient
{
    private readonly RestTransport _transport;

    internal AgentsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Agent>> ListAsync(string? deploymentId = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        (options ?? new ListOptions()).WithFilter("deployment_id", deploymentId).AppendTo(query);
        return _transport.SendAsync<ListResponse<Agent>>(HttpMethod.Get, _transport.Url("/agents", query), null, cancellationToken);
    }

    public Task<Agent> GetAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Agent>(HttpMethod.Get, _transport.Url($"/agents/{Uri.EscapeDataString(name)}"), null, cancellationToken);
}

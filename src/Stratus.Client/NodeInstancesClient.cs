using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/node-instances</c>: list (by deployment or node) and get.</summary>
public sealed class NodeInstancesClient
{
    private readonly RestTransport _transport;

    internal NodeInstancesClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<NodeInstance>> ListAsync(
        string? deploymentId = null, string? nodeId = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        (options ?? new ListOptions()).WithFilter("deployment_id", deploymentId).WithFilter("node_id", nodeId).AppendTo(query);
        return _transport.SendAsync<ListResponse<NodeInstance>>(HttpMethod.Get, _transport.Url("/node-instances", query), null, cancellationToken);
    }

    public Task<NodeInstance> GetAsync(string nodeInstanceId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<NodeInstance>(
            HttpMethod.Get, _transport.Url($"/node-instances/{Uri.EscapeDataString(nodeInstanceId)}"), null, cancellationToken);
}

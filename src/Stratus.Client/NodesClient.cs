using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/nodes</c>: a deployment's node templates.</summary>
public sealed class NodesClient
{
    private readonly RestTransport _transport;

    internal NodesClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Node>> ListAsync(
        string? deploymentId = null, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        (options ?? new ListOptions()).WithFilter("deployment_id", deploymentId).AppendTo(query);
        return _transport.SendAsync<ListResponse<Node>>(HttpMethod.Get, _transport.Url("/nodes", query), null, cancellationToken);
    }

    /// <summary>As cloudify_rest_client does: <c>GET /nodes?deployment_id=..&amp;id=..</c>, first item or null.</summary>
    public async Task<Node?> GetAsync(string deploymentId, string nodeId, CancellationToken cancellationToken = default)
    {
        var options = new ListOptions().WithFilter("id", nodeId);
        var page = await ListAsync(deploymentId, options, cancellationToken);
        return page.Items.Count > 0 ? page.Items[0] : null;
    }
}

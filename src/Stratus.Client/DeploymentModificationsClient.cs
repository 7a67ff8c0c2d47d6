using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/deployment-modifications</c>: list, get, start, finish, rollback (as cloudify_rest_client sends them).</summary>
public sealed class DeploymentModificationsClient
{
    private readonly RestTransport _transport;

    internal DeploymentModificationsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<DeploymentModification>> ListAsync(string? deploymentId, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder().AddIf(deploymentId is not null, "deployment_id", deploymentId ?? "");
        options?.AppendTo(query);
        return _transport.SendAsync<ListResponse<DeploymentModification>>(HttpMethod.Get, _transport.Url("/deployment-modifications", query), null, cancellationToken);
    }

    public Task<DeploymentModification> GetAsync(string modificationId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeploymentModification>(HttpMethod.Get, _transport.Url($"/deployment-modifications/{Esc(modificationId)}"), null, cancellationToken);

    public Task<DeploymentModification> StartAsync(string deploymentId, JsonObject nodes, JsonObject? context = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["deployment_id"] = deploymentId, ["nodes"] = nodes.DeepClone() };
        if (context is not null)
        {
            body["context"] = context.DeepClone();
        }

        return _transport.SendAsync<DeploymentModification>(HttpMethod.Post, _transport.Url("/deployment-modifications"), JsonBody.From(body), cancellationToken);
    }

    public Task<DeploymentModification> FinishAsync(string modificationId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeploymentModification>(
            HttpMethod.Post, _transport.Url($"/deployment-modifications/{Esc(modificationId)}/finish"), null, cancellationToken);

    public Task<DeploymentModification> RollbackAsync(string modificationId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeploymentModification>(
            HttpMethod.Post, _transport.Url($"/deployment-modifications/{Esc(modificationId)}/rollback"), null, cancellationToken);

    private static string Esc(string id) => Uri.EscapeDataString(id);
}

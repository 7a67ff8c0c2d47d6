using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/deployment-groups</c>: list, get, create or update, add and remove deployments, delete (as cloudify_rest_client sends them).</summary>
public sealed class DeploymentGroupsClient
{
    private readonly RestTransport _transport;

    internal DeploymentGroupsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<DeploymentGroup>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        options?.AppendTo(query);
        return _transport.SendAsync<ListResponse<DeploymentGroup>>(HttpMethod.Get, _transport.Url("/deployment-groups", query), null, cancellationToken);
    }

    public Task<DeploymentGroup> GetAsync(string groupId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeploymentGroup>(HttpMethod.Get, _transport.Url($"/deployment-groups/{Esc(groupId)}"), null, cancellationToken);

    /// <summary>Creates the group or changes it; null arguments keep what the group has.</summary>
    public Task<DeploymentGroup> PutAsync(
        string groupId,
        string? description = null,
        string? blueprintId = null,
        JsonObject? defaultInputs = null,
        IReadOnlyList<string>? deploymentIds = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["visibility"] = "tenant",
            ["description"] = description,
            ["blueprint_id"] = blueprintId,
            ["default_inputs"] = defaultInputs?.DeepClone(),
            ["deployment_ids"] = deploymentIds is null ? null : Ids(deploymentIds),
        };
        return _transport.SendAsync<DeploymentGroup>(
            HttpMethod.Put, _transport.Url($"/deployment-groups/{Esc(groupId)}"), JsonBody.From(body), cancellationToken);
    }

    public Task<DeploymentGroup> AddDeploymentsAsync(
        string groupId, IReadOnlyList<string>? deploymentIds, string? fromGroup = null, CancellationToken cancellationToken = default) =>
        PatchAsync(groupId, "add", deploymentIds, fromGroup, cancellationToken);

    public Task<DeploymentGroup> RemoveDeploymentsAsync(
        string groupId, IReadOnlyList<string>? deploymentIds, string? fromGroup = null, CancellationToken cancellationToken = default) =>
        PatchAsync(groupId, "remove", deploymentIds, fromGroup, cancellationToken);

    public Task DeleteAsync(string groupId, bool deleteDeployments = false, bool force = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(
            HttpMethod.Delete,
            _transport.Url(
                $"/deployment-groups/{Esc(groupId)}",
                new QueryBuilder().Add("delete_deployments", deleteDeployments ? "true" : "false").Add("force", force ? "true" : "false")),
            null,
            cancellationToken);

    private Task<DeploymentGroup> PatchAsync(
        string groupId, string change, IReadOnlyList<string>? deploymentIds, string? fromGroup, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            [change] = new JsonObject
            {
                ["deployment_ids"] = deploymentIds is null or { Count: 0 } ? null : Ids(deploymentIds),
                ["deployments_from_group"] = fromGroup,
            },
        };
        return _transport.SendAsync<DeploymentGroup>(
            HttpMethod.Patch, _transport.Url($"/deployment-groups/{Esc(groupId)}"), JsonBody.From(body), cancellationToken);
    }

    private static JsonArray Ids(IReadOnlyList<string> ids) => new([.. ids.Select(i => (JsonNode)i)]);

    private static string Esc(string id) => Uri.EscapeDataString(id);
}

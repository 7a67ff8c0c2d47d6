using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/deployments</c>: create with inputs, list, get, delete, outputs, capabilities.</summary>
public sealed class DeploymentsClient
{
    private readonly RestTransport _transport;

    internal DeploymentsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Deployment>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder();
        options?.AppendTo(query);
        return _transport.SendAsync<ListResponse<Deployment>>(HttpMethod.Get, _transport.Url("/deployments", query), null, cancellationToken);
    }

    public Task<Deployment> GetAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Deployment>(HttpMethod.Get, _transport.Url($"/deployments/{Esc(deploymentId)}"), null, cancellationToken);

    public Task<Deployment> CreateAsync(
        string deploymentId, string blueprintId, JsonObject? inputs = null, CancellationToken cancellationToken = default) =>
        CreateAsync(deploymentId, blueprintId, inputs, new DeploymentCreateOptions(), cancellationToken);

    public Task<Deployment> CreateAsync(
        string deploymentId, string blueprintId, JsonObject? inputs, DeploymentCreateOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var body = new JsonObject
        {
            ["blueprint_id"] = blueprintId,
            ["inputs"] = inputs?.DeepClone() ?? new JsonObject(),
            ["visibility"] = "tenant",
            ["runtime_only_evaluation"] = options.RuntimeOnlyEvaluation,
        };
        if (options.Labels.Count > 0)
        {
            body["labels"] = LabelList(options.Labels);
        }

        if (options.AutoCorrectTypes)
        {
            // Not sent by cloudify_rest_client on create (only on deployment updates); Stratus accepts it on both.
            body["auto_correct_types"] = true;
        }

        return _transport.SendAsync<Deployment>(
            HttpMethod.Put, _transport.Url($"/deployments/{Esc(deploymentId)}"), JsonBody.From(body), cancellationToken);
    }

    /// <summary>
    /// Replaces the deployment's labels (<c>PATCH /deployments/{id}</c>, cloudify_rest_client's update_labels); the
    /// manager keeps its own <c>csys-consumer-id</c> labels whatever is sent.
    /// </summary>
    public Task<Deployment> UpdateLabelsAsync(
        string deploymentId, IReadOnlyList<KeyValuePair<string, string>> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var body = new JsonObject { ["labels"] = LabelList(labels) };
        return _transport.SendAsync<Deployment>(
            HttpMethod.Patch, _transport.Url($"/deployments/{Esc(deploymentId)}"), JsonBody.From(body), cancellationToken);
    }

    /// <summary>Cloudify's request form of labels: a list of one-entry objects.</summary>
    private static JsonArray LabelList(IEnumerable<KeyValuePair<string, string>> labels) =>
        [.. labels.Select(l => (JsonNode)new JsonObject { [l.Key] = l.Value })];

    /// <summary>Starts deleting (the manager removes the row once <c>delete_deployment_environment</c> ends).</summary>
    public Task DeleteAsync(string deploymentId, bool force = false, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(
            HttpMethod.Delete,
            _transport.Url($"/deployments/{Esc(deploymentId)}", new QueryBuilder().AddIf(force, "force", "true")),
            null,
            cancellationToken);

    public Task<DeploymentOutputs> GetOutputsAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeploymentOutputs>(
            HttpMethod.Get, _transport.Url($"/deployments/{Esc(deploymentId)}/outputs"), null, cancellationToken);

    public Task<DeploymentCapabilities> GetCapabilitiesAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeploymentCapabilities>(
            HttpMethod.Get, _transport.Url($"/deployments/{Esc(deploymentId)}/capabilities"), null, cancellationToken);

    private static string Esc(string id) => Uri.EscapeDataString(id);
}

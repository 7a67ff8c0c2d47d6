using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Manager;

/// <summary>
/// The manager's REST API over HTTP, as Cloudify's agents call it: <c>Execution-Token</c> and <c>Tenant</c> headers on
/// every request. The token is set per request and never written to a log.
/// </summary>
internal sealed class HttpManagerApi : IManagerApi
{
    private const string NamespaceDelimiter = "--";

    public const string ExecutionTokenHeader = "Execution-Token";
    public const string TenantHeader = "Tenant";

    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _roots;
    private readonly ManagerFailover _failover;
    private readonly BrokerEventPublisher? _brokerEvents;
    private readonly string? _token;
    private readonly string _tenant;
    private readonly string? _blueprintId;
    private readonly string? _executionId;
    private readonly string _agentName;

    public HttpManagerApi(HttpClient http, TaskContext context, string agentName)
        : this(http, context, agentName, [], new ManagerFailover())
    {
    }

    /// <param name="managerUrls">The managers to call, in order of preference; empty: the task's <c>rest_host</c> list.</param>
    /// <param name="brokerEvents">When set, events and logs are published to the broker instead of <c>POST /events</c>.</param>
    public HttpManagerApi(
        HttpClient http,
        TaskContext context,
        string agentName,
        IReadOnlyList<Uri> managerUrls,
        ManagerFailover failover,
        BrokerEventPublisher? brokerEvents = null)
    {
        _brokerEvents = brokerEvents;
        _http = http;
        _failover = failover;
        var port = context.RestPort > 0 ? context.RestPort : (context.RestProtocol == "https" ? 443 : 80);
        _roots = managerUrls.Count > 0
            ? managerUrls
            : [.. (context.RestHost.Count > 0 ? context.RestHost : ["127.0.0.1"]).Select(h => new Uri($"{context.RestProtocol}://{FormatHost(h)}:{port}/"))];
        _token = context.ExecutionToken ?? context.RestToken;
        _tenant = JsonRead.String(context.Tenant["name"]) ?? "default_tenant";
        _blueprintId = context.BlueprintId;
        _executionId = context.ExecutionId;
        _agentName = agentName;
    }

    public async Task<JsonObject> GetNodeInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        await SendForObjectAsync(HttpMethod.Get, $"api/v3.1/node-instances/{Uri.EscapeDataString(instanceId)}", null, cancellationToken);

    public async Task<JsonObject> UpdateNodeInstanceAsync(
        string instanceId,
        JsonObject runtimeProperties,
        long version,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["runtime_properties"] = runtimeProperties.DeepClone(), ["version"] = version };
        return await SendForObjectAsync(
            HttpMethod.Patch, $"api/v3.1/node-instances/{Uri.EscapeDataString(instanceId)}", body, cancellationToken);
    }

    public async Task<JsonObject?> GetNodeAsync(string deploymentId, string nodeId, CancellationToken cancellationToken = default)
    {
        var page = await SendForObjectAsync(
            HttpMethod.Get,
            // As Cloudify's ManagerEndpoint.get_node: properties come back evaluated (runtime_only_evaluation keeps them raw).
            $"api/v3.1/nodes?deployment_id={Uri.EscapeDataString(deploymentId)}&id={Uri.EscapeDataString(nodeId)}&_evaluate_functions=true",
            null,
            cancellationToken);
        return page["items"] is JsonArray { Count: > 0 } items ? items[0] as JsonObject : null;
    }

    public async Task<JsonArray> ListNodesAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        await ListAllAsync($"api/v3.1/nodes?deployment_id={Uri.EscapeDataString(deploymentId)}&_evaluate_functions=true", cancellationToken);

    public async Task<JsonArray> ListNodeInstancesAsync(string deploymentId, CancellationToken cancellationToken = default) =>
        await ListAllAsync($"api/v3.1/node-instances?deployment_id={Uri.EscapeDataString(deploymentId)}", cancellationToken);

    public async Task<JsonObject> SetNodeInstanceStateAsync(string instanceId, string state, long version, CancellationToken cancellationToken = default) =>
        await SendForObjectAsync(
            HttpMethod.Patch,
            $"api/v3.1/node-instances/{Uri.EscapeDataString(instanceId)}",
            new JsonObject { ["state"] = state, ["version"] = version },
            cancellationToken);

    private async Task<JsonArray> ListAllAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        var page = await SendForObjectAsync(HttpMethod.Get, relativeUrl + "&_get_all_results=true", null, cancellationToken);
        return page["items"] is JsonArray items ? (JsonArray)items.DeepClone() : [];
    }

    public async Task PostEventsAsync(
        IReadOnlyList<JsonObject> events,
        IReadOnlyList<JsonObject> logs,
        CancellationToken cancellationToken = default)
    {
        if (_brokerEvents is not null)
        {
            await _brokerEvents.PublishAsync(events, logs, _agentName, cancellationToken);
            return;
        }

        var body = new JsonObject
        {
            ["events"] = new JsonArray([.. events.Select(e => e.DeepClone())]),
            ["logs"] = new JsonArray([.. logs.Select(l => l.DeepClone())]),
            ["execution_id"] = _executionId,
            ["agent_name"] = _agentName,
            ["manager_name"] = null,
        };
        using var response = await SendAsync(HttpMethod.Post, "api/v3.1/events", body, cancellationToken);
    }

    public async Task ClaimOperationAsync(string operationId, JsonObject body, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Patch, $"api/v3.1/operations/{Uri.EscapeDataString(operationId)}", body, cancellationToken);
    }

    public Task<JsonObject> PutAgentAsync(string name, JsonObject body, CancellationToken cancellationToken = default) =>
        SendForObjectAsync(HttpMethod.Put, $"api/v3.1/agents/{Uri.EscapeDataString(name)}", body, cancellationToken);

    public async Task<JsonObject?> GetAgentAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendForObjectAsync(HttpMethod.Get, $"api/v3.1/agents/{Uri.EscapeDataString(name)}", null, cancellationToken);
        }
        catch (ManagerApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<JsonObject?> PatchAgentAsync(string name, JsonObject body, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendForObjectAsync(HttpMethod.Patch, $"api/v3.1/agents/{Uri.EscapeDataString(name)}", body, cancellationToken);
        }
        catch (ManagerApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<byte[]> DownloadBlueprintResourceAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await DownloadAsync(path, cancellationToken);
        }
        catch (ManagerApiException e) when (e.IsNotFound && path.LastIndexOf(NamespaceDelimiter, StringComparison.Ordinal) is var at and >= 0)
        {
            // Cloudify's download_resource: `ns--path` where ns is a plain namespaced import (not an imported
            // blueprint, whose files the manager keeps under the namespaced name) is `path` of this blueprint.
            return await DownloadAsync(path[(at + NamespaceDelimiter.Length)..], cancellationToken);
        }
    }

    private async Task<byte[]> DownloadAsync(string path, CancellationToken cancellationToken)
    {
        var blueprint = _blueprintId ?? throw new ManagerApiException("The operation has no blueprint_id to download resources from.");
        var relative = string.Join('/', path.TrimStart('/').Split('/').Select(Uri.EscapeDataString));
        var url = $"resources/blueprints/{Uri.EscapeDataString(_tenant)}/{Uri.EscapeDataString(blueprint)}/{relative}";
        using var response = await SendAsync(HttpMethod.Get, url, null, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    private async Task<JsonObject> SendForObjectAsync(
        HttpMethod method,
        string relativeUrl,
        JsonObject? body,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, relativeUrl, body, cancellationToken);
        var node = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        return node as JsonObject
            ?? throw new ManagerApiException(response.StatusCode, null, $"{method} {relativeUrl} returned no JSON object.");
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string relativeUrl,
        JsonObject? body,
        CancellationToken cancellationToken)
    {
        var response = await _failover.SendAsync(
            _http,
            _roots,
            root =>
            {
                var request = new HttpRequestMessage(method, new Uri(root, relativeUrl));
                if (_token is not null)
                {
                    request.Headers.TryAddWithoutValidation(ExecutionTokenHeader, _token);
                }

                request.Headers.TryAddWithoutValidation(TenantHeader, _tenant);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }

                return request;
            },
            cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var (code, message) = await ReadErrorAsync(response, cancellationToken);
            throw new ManagerApiException(
                response.StatusCode,
                code,
                $"{method} /{relativeUrl.Split('?')[0]} failed with {(int)response.StatusCode}: {message}");
        }
    }

    private static async Task<(string? Code, string Message)> ReadErrorAsync(
        HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(text) is JsonObject error)
            {
                return (JsonRead.String(error["error_code"]), JsonRead.String(error["message"]) ?? text);
            }
        }
        catch (JsonException)
        {
            // Not Cloudify's error shape (e.g. a proxy's HTML page); the raw text is the best description.
        }

        return (null, text.Length > 500 ? text[..500] : text);
    }
}

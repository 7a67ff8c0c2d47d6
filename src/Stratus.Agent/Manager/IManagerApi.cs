using System.Text.Json.Nodes;

namespace Stratus.Agent.Manager;

/// <summary>The REST calls an operation makes back to the manager, authenticated as its execution.</summary>
internal interface IManagerApi
{
    /// <summary><c>GET /node-instances/{id}</c>: the instance with its runtime properties and version.</summary>
    Task<JsonObject> GetNodeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PATCH /node-instances/{id}</c> with the version last read; a stale version throws
    /// <see cref="ManagerApiException"/> with status 409 (<c>conflict_error</c>). Returns the updated instance.
    /// </summary>
    Task<JsonObject> UpdateNodeInstanceAsync(
        string instanceId,
        JsonObject runtimeProperties,
        long version,
        CancellationToken cancellationToken = default);

    /// <summary><c>GET /nodes?deployment_id=&amp;id=</c>, first item; null when the node does not exist.</summary>
    Task<JsonObject?> GetNodeAsync(string deploymentId, string nodeId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /events</c> with Cloudify's event and log dicts.</summary>
    Task PostEventsAsync(
        IReadOnlyList<JsonObject> events,
        IReadOnlyList<JsonObject> logs,
        CancellationToken cancellationToken = default);

    /// <summary>A file of the blueprint's folder on the file server; a missing file throws with status 404.</summary>
    Task<byte[]> DownloadBlueprintResourceAsync(string path, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /agents/{name}</c>: creates the agent, or answers with the stored one (binding it to the body's node instance if unbound).</summary>
    Task<JsonObject> PutAgentAsync(string name, JsonObject body, CancellationToken cancellationToken = default);

    /// <summary><c>GET /agents/{name}</c>; null when there is no such agent.</summary>
    Task<JsonObject?> GetAgentAsync(string name, CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /agents/{name}</c> (state, system, version); null when there is no such agent.</summary>
    Task<JsonObject?> PatchAgentAsync(string name, JsonObject body, CancellationToken cancellationToken = default);

    /// <summary><c>GET /nodes?deployment_id=</c>, every page, properties evaluated: the deployment's nodes.</summary>
    Task<JsonArray> ListNodesAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /node-instances?deployment_id=</c>, every page: the deployment's node instances.</summary>
    Task<JsonArray> ListNodeInstancesAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary><c>PATCH /node-instances/{id}</c> with a new state and the version last read (409 when stale).</summary>
    Task<JsonObject> SetNodeInstanceStateAsync(string instanceId, string state, long version, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PATCH /operations/{id}</c> with <c>state: started</c>: claims one attempt of the operation before running it.
    /// A refusal (another agent holds that attempt) is a <see cref="ManagerApiException"/> with <c>IsConflict</c>.
    /// </summary>
    Task ClaimOperationAsync(string operationId, JsonObject body, CancellationToken cancellationToken = default);
}

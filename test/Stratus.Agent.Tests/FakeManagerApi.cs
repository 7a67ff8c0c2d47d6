using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Stratus.Agent.Manager;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

/// <summary>An in-memory manager: node instances with versions (409 on stale writes), nodes, files, and events.</summary>
internal sealed class FakeManagerApi : IManagerApi, IManagerApiFactory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _resources = new(StringComparer.Ordinal);

    public List<JsonObject> Logs { get; } = [];

    public List<JsonObject> Events { get; } = [];

    public int PatchCount { get; private set; }

    /// <summary>Sizes of the POST /events batches, in order.</summary>
    public List<int> PostedBatchSizes { get; } = [];

    /// <summary>Called after each POST /events with the batch size.</summary>
    public Action<int>? AfterPost { get; set; }

    /// <summary>When set, file downloads fail with it (a manager that cannot be reached).</summary>
    public Exception? DownloadFailure { get; set; }

    /// <summary>Runs before each PATCH is applied, e.g. to simulate a concurrent writer.</summary>
    public Action<string>? BeforePatch { get; set; }

    /// <summary>When set, each PATCH waits for it after <see cref="BeforePatch"/> (holds a script mid-run).</summary>
    public Task? PatchGate { get; set; }

    public IEnumerable<string> LogTexts
    {
        get
        {
            lock (_gate)
            {
                return [.. Logs.Select(l => l["message"]!["text"]!.GetValue<string>())];
            }
        }
    }

    public FakeManagerApi AddNode(string nodeId, JsonObject properties, string deploymentId = "dep", string type = "cloudify.nodes.Root")
    {
        _nodes[nodeId] = new JsonObject
        {
            ["id"] = nodeId,
            ["deployment_id"] = deploymentId,
            ["type"] = type,
            ["type_hierarchy"] = new JsonArray("cloudify.nodes.Root", type),
            ["properties"] = properties,
            ["number_of_instances"] = 1,
        };
        return this;
    }

    public FakeManagerApi AddInstance(string instanceId, string nodeId, JsonObject? runtimeProperties = null, string? hostId = null)
    {
        _instances[instanceId] = new JsonObject
        {
            ["id"] = instanceId,
            ["node_id"] = nodeId,
            ["deployment_id"] = "dep",
            ["host_id"] = hostId,
            ["index"] = 1,
            ["state"] = "creating",
            ["runtime_properties"] = runtimeProperties ?? [],
            ["version"] = 1L,
        };
        return this;
    }

    public FakeManagerApi AddResource(string path, string content)
    {
        _resources[path] = Encoding.UTF8.GetBytes(content);
        return this;
    }

    public JsonObject RuntimeProperties(string instanceId)
    {
        lock (_gate)
        {
            return _instances[instanceId]["runtime_properties"]!.DeepClone().AsObject();
        }
    }

    public long Version(string instanceId)
    {
        lock (_gate)
        {
            return _instances[instanceId]["version"]!.GetValue<long>();
        }
    }

    /// <summary>What another writer does: change a property and bump the version.</summary>
    public void WriteConcurrently(string instanceId, string key, JsonNode value)
    {
        lock (_gate)
        {
            var instance = _instances[instanceId];
            instance["runtime_properties"]![key] = value;
            instance["version"] = instance["version"]!.GetValue<long>() + 1;
        }
    }

    public IManagerApi Create(TaskContext context) => this;

    /// <summary>Claimed attempts by operation id: the attempt and the claimant's claim id, as the manager keeps them.</summary>
    private readonly Dictionary<string, (int Attempt, string ClaimId)> _claims = new(StringComparer.Ordinal);

    /// <summary>Every claim request, in order: operation id, attempt, claim id, granted.</summary>
    public List<(string OperationId, int Attempt, string ClaimId, bool Granted)> ClaimRequests { get; } = [];

    /// <summary>Called after each claim is decided, with the operation id and whether it was granted.</summary>
    public Action<string, bool>? AfterClaim { get; set; }

    /// <summary>Attempts whose end the engine recorded, by operation id: the manager refuses them to every claimant.</summary>
    private readonly Dictionary<string, int> _finished = new(StringComparer.Ordinal);

    /// <summary>The engine stored the result of <paramref name="attempt"/> (or moved on past it).</summary>
    public void FinishAttempt(string operationId, int attempt)
    {
        lock (_gate)
        {
            _finished[operationId] = attempt;
        }
    }

    /// <summary>The execution's run released the claim (its holder's manager is gone): another claimant may take it over.</summary>
    public void DropClaim(string operationId)
    {
        lock (_gate)
        {
            _claims.Remove(operationId);
        }
    }

    /// <summary>When set, the next claims fail with it (a manager that cannot be reached), one at a time.</summary>
    public Queue<Exception> ClaimFailures { get; } = new();

    public Task ClaimOperationAsync(string operationId, JsonObject body, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (ClaimFailures.TryDequeue(out var failure))
            {
                throw failure;
            }

            var attempt = body["retry_number"]!.GetValue<int>();
            var claimId = body["claim_id"]!.GetValue<string>();
            var granted = body["state"]?.GetValue<string>() == "started"
                && !(_finished.TryGetValue(operationId, out var finished) && finished >= attempt)
                && (!_claims.TryGetValue(operationId, out var held) || held.Attempt < attempt || (held.Attempt == attempt && held.ClaimId == claimId));
            ClaimRequests.Add((operationId, attempt, claimId, granted));
            AfterClaim?.Invoke(operationId, granted);
            if (!granted)
            {
                throw new ManagerApiException(HttpStatusCode.Conflict, "conflict_error", $"Operation `{operationId}` attempt {attempt} is already claimed");
            }

            _claims[operationId] = (attempt, claimId);
            return Task.CompletedTask;
        }
    }

    public Task<JsonObject> GetNodeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _instances.TryGetValue(instanceId, out var instance)
                ? Task.FromResult(instance.DeepClone().AsObject())
                : throw new ManagerApiException(HttpStatusCode.NotFound, "not_found_error", $"Requested `NodeInstance` with ID `{instanceId}` was not found");
        }
    }

    public async Task<JsonObject> UpdateNodeInstanceAsync(string instanceId, JsonObject runtimeProperties, long version, CancellationToken cancellationToken = default)
    {
        BeforePatch?.Invoke(instanceId);
        if (PatchGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        lock (_gate)
        {
            PatchCount++;
            var instance = _instances[instanceId];
            var current = instance["version"]!.GetValue<long>();
            if (current > version)
            {
                throw new ManagerApiException(
                    HttpStatusCode.Conflict,
                    "conflict_error",
                    $"Node instance update conflict [current version={current}, update version={version}]");
            }

            instance["runtime_properties"] = runtimeProperties.DeepClone();
            instance["version"] = current + 1;
            return instance.DeepClone().AsObject();
        }
    }

    public Task<JsonObject?> GetNodeAsync(string deploymentId, string nodeId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_nodes.TryGetValue(nodeId, out var node) ? node.DeepClone().AsObject() : null);
        }
    }

    public Task<JsonArray> ListNodesAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(new JsonArray([.. _nodes.Values.Where(n => n["deployment_id"]?.GetValue<string>() == deploymentId).Select(n => n.DeepClone())]));
        }
    }

    public Task<JsonArray> ListNodeInstancesAsync(string deploymentId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(new JsonArray([.. _instances.Values.Where(i => i["deployment_id"]?.GetValue<string>() == deploymentId).Select(i => i.DeepClone())]));
        }
    }

    public Task<JsonObject> SetNodeInstanceStateAsync(string instanceId, string state, long version, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var instance = _instances[instanceId];
            var current = instance["version"]!.GetValue<long>();
            if (current > version)
            {
                throw new ManagerApiException(HttpStatusCode.Conflict, "conflict_error", $"Node instance update conflict [current version={current}, update version={version}]");
            }

            instance["state"] = state;
            instance["version"] = current + 1;
            return Task.FromResult(instance.DeepClone().AsObject());
        }
    }

    public Task PostEventsAsync(IReadOnlyList<JsonObject> events, IReadOnlyList<JsonObject> logs, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Events.AddRange(events);
            Logs.AddRange(logs);
            PostedBatchSizes.Add(events.Count + logs.Count);
        }

        AfterPost?.Invoke(events.Count + logs.Count);
        return Task.CompletedTask;
    }

    public Task<byte[]> DownloadBlueprintResourceAsync(string path, CancellationToken cancellationToken = default)
    {
        if (DownloadFailure is { } failure)
        {
            return Task.FromException<byte[]>(failure);
        }

        lock (_gate)
        {
            return _resources.TryGetValue(path, out var content)
                ? Task.FromResult(content)
                : throw new ManagerApiException(HttpStatusCode.NotFound, null, $"GET /resources/blueprints/default_tenant/bp/{path} failed with 404");
        }
    }

    /// <summary>Agents by name, as <c>/agents</c> keeps them; <see cref="OnAgentRead"/> runs before each GET.</summary>
    public Dictionary<string, JsonObject> Agents { get; } = new(StringComparer.Ordinal);

    public Action<string>? OnAgentRead { get; set; }

    public Task<JsonObject> PutAgentAsync(string name, JsonObject body, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!Agents.TryGetValue(name, out var agent))
            {
                agent = (JsonObject)body.DeepClone();
                agent["id"] = name;
                Agents[name] = agent;
            }
            else if (agent["node_instance_id"] is null && body["node_instance_id"] is { } instance)
            {
                agent["node_instance_id"] = instance.DeepClone();
            }

            return Task.FromResult((JsonObject)agent.DeepClone());
        }
    }

    public Task<JsonObject?> GetAgentAsync(string name, CancellationToken cancellationToken = default)
    {
        OnAgentRead?.Invoke(name);
        lock (_gate)
        {
            return Task.FromResult(Agents.TryGetValue(name, out var agent) ? (JsonObject?)agent.DeepClone() : null);
        }
    }

    public Task<JsonObject?> PatchAgentAsync(string name, JsonObject body, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!Agents.TryGetValue(name, out var agent))
            {
                return Task.FromResult<JsonObject?>(null);
            }

            foreach (var (key, value) in body)
            {
                agent[key] = value?.DeepClone();
            }

            return Task.FromResult((JsonObject?)agent.DeepClone());
        }
    }
}

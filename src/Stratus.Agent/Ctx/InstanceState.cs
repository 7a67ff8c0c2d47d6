using System.Text.Json.Nodes;
using Stratus.Agent.Manager;

namespace Stratus.Agent.Ctx;

/// <summary>
/// One node instance as an operation sees it: read from the manager on first use, runtime properties edited in memory
/// and flushed with the version that was read. A conflicting write re-reads and re-applies this operation's changes.
/// </summary>
internal sealed class InstanceState
{
    private const int MaxConflictRetries = 10;

    private readonly IManagerApi _api;
    private readonly string? _deploymentId;
    private JsonObject? _instance;
    private JsonObject? _node;
    private JsonObject? _original;
    private JsonObject? _runtime;
    private long _version;

    public InstanceState(IManagerApi api, string instanceId, string? nodeName, string? deploymentId)
    {
        _api = api;
        InstanceId = instanceId;
        NodeName = nodeName;
        _deploymentId = deploymentId;
    }

    public string InstanceId { get; }

    public string? NodeName { get; private set; }

    public bool IsDirty { get; private set; }

    public async Task<JsonObject> GetInstanceAsync(CancellationToken cancellationToken)
    {
        if (_instance is null)
        {
            Accept(await _api.GetNodeInstanceAsync(InstanceId, cancellationToken));
        }

        return _instance!;
    }

    public async Task<CtxMapping> GetRuntimePropertiesAsync(CancellationToken cancellationToken)
    {
        await GetInstanceAsync(cancellationToken);
        return new CtxMapping(_runtime!, () => IsDirty = true, readOnly: false);
    }

    public async Task<JsonObject> GetNodeAsync(CancellationToken cancellationToken)
    {
        if (_node is not null)
        {
            return _node;
        }

        var name = NodeName ?? JsonRead.String((await GetInstanceAsync(cancellationToken))["node_id"]);
        var deployment = _deploymentId ?? JsonRead.String((await GetInstanceAsync(cancellationToken))["deployment_id"]);
        if (name is null || deployment is null)
        {
            throw new CtxException("NonRecoverableError", $"Node of instance {InstanceId} is unknown.");
        }

        NodeName = name;
        _node = await _api.GetNodeAsync(deployment, name, cancellationToken)
            ?? throw new CtxException("NonRecoverableError", $"Node {name} of deployment {deployment} not found.");
        return _node;
    }

    /// <summary>Re-reads the instance; unflushed edits are kept unless <paramref name="force"/>.</summary>
    public async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        if (IsDirty && !force)
        {
            return;
        }

        Accept(await _api.GetNodeInstanceAsync(InstanceId, cancellationToken));
    }

    /// <summary>Writes changed runtime properties to the manager (no call when nothing changed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!IsDirty || _runtime is null || _original is null)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Accept(await _api.UpdateNodeInstanceAsync(InstanceId, _runtime, _version, cancellationToken));
                return;
            }
            catch (ManagerApiException conflict) when (conflict.IsConflict && attempt < MaxConflictRetries)
            {
                // Someone else wrote the instance since we read it: apply our own edits on top of theirs.
                var latest = await _api.GetNodeInstanceAsync(InstanceId, cancellationToken);
                var merged = (latest["runtime_properties"] as JsonObject)?.DeepClone().AsObject() ?? [];
                ApplyChanges(_original, _runtime, merged);
                _original = (latest["runtime_properties"] as JsonObject)?.DeepClone().AsObject() ?? [];
                _runtime = merged;
                _version = JsonRead.Long(latest["version"]) ?? _version;
            }
        }
    }

    private static void ApplyChanges(JsonObject original, JsonObject edited, JsonObject target)
    {
        foreach (var (key, value) in edited)
        {
            if (!original.TryGetPropertyValue(key, out var before) || !JsonNode.DeepEquals(before, value))
            {
                target[key] = value?.DeepClone();
            }
        }

        foreach (var (key, _) in original)
        {
            if (!edited.ContainsKey(key))
            {
                target.Remove(key);
            }
        }
    }

    private void Accept(JsonObject instance)
    {
        _instance = instance;
        var runtime = instance["runtime_properties"] as JsonObject ?? [];
        _original = runtime.DeepClone().AsObject();
        _runtime = runtime.DeepClone().AsObject();
        _version = JsonRead.Long(instance["version"]) ?? 0;
        IsDirty = false;
        NodeName ??= JsonRead.String(instance["node_id"]);
    }
}

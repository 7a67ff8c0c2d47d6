using System.Globalization;
using System.Text.Json.Nodes;
using Stratus.Storage;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>
/// The handlers that store what a check or a heal found into the instance's <c>system_properties</c>, as Cloudify's
/// check_status, check_drift and heal workflows do (a forced update: no version check).
/// </summary>
internal sealed partial class GraphRunner
{
    /// <summary>Stores a check_status / check_drift result (<c>{ok, timestamp, task, result}</c>) for the task's handler.</summary>
    private async Task RunResultHandlerAsync(GraphTask task, JsonObject? handler, bool ok, JsonNode? result, CancellationToken cancellationToken)
    {
        var path = TaskHandlers.Path(handler);
        if (path == TaskHandlers.ScriptRequest)
        {
            AnswerScriptRequest(task, ok, result);
            return;
        }

        var isStatus = path is TaskHandlers.CheckStatusOnSuccess or TaskHandlers.CheckStatusOnFailure or TaskHandlers.CheckStatusOnFailureIgnore;
        var isDrift = path is TaskHandlers.CheckDriftOnSuccess or TaskHandlers.CheckDriftOnFailure or TaskHandlers.CheckDriftOnFailureIgnore;
        if ((!isStatus && !isDrift) || GraphTask.Text(handler, "instance_id") is not { } instanceId)
        {
            return;
        }

        var formatted = new JsonObject
        {
            ["ok"] = ok,
            ["timestamp"] = PythonUtcIso(_time.GetUtcNow()),
            ["task"] = task.Name,
            ["result"] = result?.DeepClone(),
        };
        var source = GraphTask.Text(handler, "relationship_source");
        var target = GraphTask.Text(handler, "relationship_target");
        // Checkpoint: the result is stored before the task is marked done; a crash in between re-runs the check.
        await UpdateSystemPropertiesAsync(instanceId, props =>
        {
            if (isStatus)
            {
                props["previous_status"] = props["status"]?.DeepClone();
                props["status"] = formatted;
            }
            else if (source is not null)
            {
                Section(props, "target_relationships_configuration_drift")[source] = formatted;
            }
            else if (target is not null)
            {
                Section(props, "source_relationships_configuration_drift")[target] = formatted;
            }
            else
            {
                props["configuration_drift"] = formatted;
            }
        }, cancellationToken);
    }

    /// <summary>A heal subgraph succeeded: the instance counts as passing its status check.</summary>
    private Task MarkHealedAsync(GraphTask subgraph, CancellationToken cancellationToken) =>
        GraphTask.Text(subgraph.OnSuccess, "instance_id") is { } instanceId
            ? UpdateSystemPropertiesAsync(instanceId, props =>
            {
                var status = Section(props, "status");
                status["ok"] = true;
                status["task"] = null;
                status["healed"] = true;
            }, cancellationToken)
            : Task.CompletedTask;

    /// <summary>A heal subgraph failed: the heal workflow reinstalls instances marked with this execution.</summary>
    private Task MarkHealFailedAsync(GraphTask subgraph, CancellationToken cancellationToken) =>
        GraphTask.Text(subgraph.OnFailure, "instance_id") is { } instanceId
            ? UpdateSystemPropertiesAsync(instanceId, props => props["heal_failed"] = _identity.ExecutionId, cancellationToken)
            : Task.CompletedTask;

    private async Task UpdateSystemPropertiesAsync(string instanceId, Action<JsonObject> change, CancellationToken cancellationToken)
    {
        if (_identity.DryRun)
        {
            return;
        }

        var instance = await _store.GetNodeInstanceAsync(_identity.TenantName, instanceId, cancellationToken);
        if (instance is null)
        {
            return;
        }

        var props = instance.SystemProperties?.DeepClone() as JsonObject ?? [];
        change(props);
        await _store.UpdateNodeInstanceAsync(
            _identity.TenantName, instanceId, new NodeInstanceUpdate { SystemProperties = props }, expectedVersion: null, cancellationToken);
    }

    private static JsonObject Section(JsonObject props, string key)
    {
        if (props[key] is not JsonObject section)
        {
            props[key] = section = [];
        }

        return section;
    }

    /// <summary>Python's <c>datetime.utcnow().isoformat()</c>: no offset, microseconds only when not zero.</summary>
    internal static string PythonUtcIso(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return utc.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
    }
}

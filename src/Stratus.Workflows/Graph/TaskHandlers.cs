using System.Text.Json.Nodes;

namespace Stratus.Workflows.Graph;

/// <summary>
/// Cloudify's task handlers, stored as an operation's <c>on_success</c> / <c>on_failure</c> <c>{path, ...}</c>; the
/// extra keys carry what Cloudify keeps in the handler's dump or the task's <c>info</c> (instance id, related side).
/// </summary>
internal static class TaskHandlers
{
    /// <summary>Logs "Ignoring task X failure" and goes on (uninstall with ignore_failure).</summary>
    public const string SendNodeEvent = "cloudify.plugins.lifecycle._SendNodeEventHandler";

    /// <summary>A failed top-level instance subgraph is replaced by a reinstall (or uninstall) while subgraph retries remain.</summary>
    public const string SubgraphOnFailure = "cloudify.plugins.lifecycle._SubgraphOnFailure";

    public const string CheckStatusOnSuccess = "cloudify.plugins.workflows.check_status_on_success";
    public const string CheckStatusOnFailure = "cloudify.plugins.workflows.check_status_on_failure";
    public const string CheckStatusOnFailureIgnore = "cloudify.plugins.workflows.check_status_on_failure_ignore_failure";
    public const string CheckDriftOnSuccess = "cloudify.plugins.workflows.check_drift_on_success";
    public const string CheckDriftOnFailure = "cloudify.plugins.workflows.check_drift_on_failure";
    public const string CheckDriftOnFailureIgnore = "cloudify.plugins.workflows.check_drift_on_failure_ignore_failure";
    public const string HealOnSuccess = "cloudify.plugins.lifecycle._on_heal_success";
    public const string HealOnFailure = "cloudify.plugins.lifecycle._on_heal_failure";

    /// <summary>
    /// Stratus: an operation a workflow script asked for; its end (success or failure, after its retries) is the
    /// answer to the script, never the workflow's failure. Extra keys: <c>script_task</c>, <c>request_key</c>.
    /// </summary>
    public const string ScriptRequest = "stratus.workflows.script_request";

    /// <summary>Handlers whose failure result is "ignore": what waits for the task goes on.</summary>
    public static bool Ignores(JsonObject? handler) =>
        Path(handler) is SendNodeEvent or CheckStatusOnFailureIgnore or CheckDriftOnFailureIgnore or HealOnFailure or ScriptRequest;

    public static string? Path(JsonObject? handler) => GraphTask.Text(handler, "path");

    public static JsonObject Of(string path, string? instanceId, params (string Key, string? Value)[] extra)
    {
        var handler = new JsonObject { ["path"] = path, ["instance_id"] = instanceId };
        foreach (var (key, value) in extra)
        {
            handler[key] = value;
        }

        return handler;
    }
}

using System.Text.Json.Nodes;

namespace Stratus.Cli.Tests;

/// <summary>Bodies shaped like the recorded Cloudify 7.1 answers (see shared/reference/wire).</summary>
internal static class Samples
{
    public static JsonObject Execution(string id, string status, string workflow = "install", string error = "") => new()
    {
        ["id"] = id,
        ["workflow_id"] = workflow,
        ["deployment_id"] = "dep",
        ["blueprint_id"] = "bp",
        ["status"] = status,
        ["status_display"] = status == "terminated" ? "completed" : status,
        ["error"] = error,
        ["parameters"] = new JsonObject(),
        ["is_system_workflow"] = false,
        ["created_at"] = "2026-11-26T06:07:54.179Z",
        ["started_at"] = null,
        ["ended_at"] = null,
        ["total_operations"] = 4,
        ["finished_operations"] = 0,
        ["tenant_name"] = "default_tenant",
        ["created_by"] = "admin",
    };

    public static JsonObject Event(string message, string type = "cloudify_event", string? nodeInstance = null, string? operation = null) => new()
    {
        ["timestamp"] = "2026-11-26T06:07:55.416Z",
        ["reported_timestamp"] = "2026-11-26T06:07:55.432Z",
        ["blueprint_id"] = "bp",
        ["deployment_id"] = "dep",
        ["execution_id"] = "e1",
        ["workflow_id"] = "install",
        ["message"] = message,
        ["event_type"] = type == "cloudify_event" ? "workflow_started" : null,
        ["level"] = type == "cloudify_log" ? "info" : null,
        ["node_instance_id"] = nodeInstance,
        ["node_name"] = null,
        ["operation"] = operation,
        ["source_id"] = null,
        ["target_id"] = null,
        ["error_causes"] = null,
        ["type"] = type,
    };

    public static JsonObject Blueprint(string id) => new()
    {
        ["id"] = id,
        ["description"] = "A blueprint\n",
        ["main_file_name"] = "blueprint.yaml",
        ["state"] = "uploaded",
        ["created_at"] = "2026-11-26T06:07:41.789Z",
        ["updated_at"] = "2026-11-26T06:07:43.000Z",
        ["visibility"] = "tenant",
        ["tenant_name"] = "default_tenant",
        ["created_by"] = "admin",
        ["labels"] = new JsonArray(),
        ["plan"] = new JsonObject(),
    };

    public static JsonObject Error(string code, string message) => new()
    {
        ["message"] = message,
        ["error_code"] = code,
        ["server_traceback"] = null,
    };
}

using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

internal static class TestTasks
{
    public static TaskContext Context(
        string? nodeId = "vm_1",
        string? nodeName = "vm",
        JsonObject? related = null,
        double? timeout = null,
        bool? timeoutRecoverable = null,
        string taskName = "script_runner.tasks.run",
        string? taskId = null) => new()
    {
        TaskId = taskId ?? Guid.NewGuid().ToString(),
        TaskName = taskName,
        ExecutionId = "exec-1",
        WorkflowId = "install",
        Tenant = new JsonObject { ["name"] = "default_tenant" },
        NodeId = nodeId,
        NodeName = nodeName,
        Related = related,
        Timeout = timeout,
        TimeoutRecoverable = timeoutRecoverable,
        BlueprintId = "bp",
        DeploymentId = "dep",
        Operation = new JsonObject
        {
            ["name"] = "cloudify.interfaces.lifecycle.create",
            ["retry_number"] = 0,
            ["max_retries"] = 3,
        },
        RestHost = ["127.0.0.1"],
        RestPort = 1,
        ExecutionToken = "secret-token",
    };

    public static JsonObject Kwargs(string scriptPath, JsonObject? inputs = null)
    {
        var kwargs = inputs?.DeepClone().AsObject() ?? [];
        kwargs["script_path"] = scriptPath;
        return kwargs;
    }
}

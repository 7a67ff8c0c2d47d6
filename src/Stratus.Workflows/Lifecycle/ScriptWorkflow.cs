using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;
using Stratus.Workflows.Engine;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Lifecycle;

/// <summary>
/// A workflow declared in the blueprint and implemented by a script (Cloudify's
/// <c>script_runner.tasks.execute_workflow</c>, long or short form): a graph of one task that runs the script on the
/// management agent with the workflow's ctx. The operations the script asks for are added to the same stored graph
/// while it runs (<see cref="GraphRunner"/>), so they are durable, retried and reported like any other.
/// </summary>
internal static class ScriptWorkflow
{
    public static async Task<GraphOutcome> RunAsync(WorkflowRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var identity = run.Identity;
        var deployment = identity.DeploymentId is null
            ? null
            : await run.Store.GetDeploymentAsync(identity.TenantName, identity.DeploymentId, cancellationToken);
        var declared = deployment?.Workflows[identity.WorkflowId] as JsonObject;
        var operation = GraphTask.Text(declared, "operation");
        if (operation != QueueNames.ExecuteWorkflowTask)
        {
            var mapping = declared is null ? "nothing" : $"{GraphTask.Text(declared, "plugin")}.{operation}";
            throw new NotSupportedException(
                $"Workflow '{identity.WorkflowId}' is mapped to {mapping}: this manager runs its built-in workflows and workflows implemented by the script plugin ({QueueNames.ExecuteWorkflowTask}).");
        }

        var plugin = GraphTask.Text(declared, "plugin") ?? "script";
        return await run.RunGraphAsync(identity.WorkflowId, (b, _, _) => [b.Add(Task(b, identity, plugin, run.Parameters))], taskRetries: 0, cancellationToken);
    }

    /// <summary>The script task: its kwargs are the workflow parameters (<c>script_path</c> or <c>script_source</c> among them).</summary>
    private static GraphTask Task(GraphBuilder builder, WorkflowIdentity identity, string plugin, JsonObject parameters)
    {
        var kwargs = (JsonObject)parameters.DeepClone();
        kwargs[TaskContext.KwargName] = new JsonObject
        {
            ["__cloudify_context"] = "0.3",
            ["type"] = "workflow",
            ["task_name"] = QueueNames.ExecuteWorkflowTask,
            ["execution_id"] = identity.ExecutionId,
            ["workflow_id"] = identity.WorkflowId,
            ["tenant"] = new JsonObject { ["name"] = identity.TenantName },
            ["deployment_id"] = identity.DeploymentId,
            ["blueprint_id"] = identity.BlueprintId,
            ["plugin"] = new JsonObject { ["name"] = plugin, ["properties"] = new JsonObject() },
            ["operation"] = new JsonObject { ["name"] = identity.WorkflowId, ["retry_number"] = 0, ["max_retries"] = 0 },
            ["executor"] = "central_deployment_agent",
        };
        return new GraphTask
        {
            Id = builder.NewId(),
            Type = TaskTypes.Remote,
            Name = QueueNames.ExecuteWorkflowTask,
            Info = identity.WorkflowId,
            TotalRetries = 0,
            // The script is the workflow itself: workflow_started/succeeded/failed tell its story, not task events.
            SendTaskEvents = false,
            TaskKwargs = new JsonObject { ["kwargs"] = kwargs },
        };
    }
}

namespace Stratus.Contracts.Tasks;

/// <summary>Cloudify's queue naming: a target's operations go to <c>&lt;target&gt;_operation</c>.</summary>
public static class QueueNames
{
    /// <summary>The central deployment agent / management worker target.</summary>
    public const string Management = "cloudify.management";

    /// <summary>Workflow start messages (REST to the management worker).</summary>
    public const string Workflows = "cloudify.management_workflow";

    public static string Operations(string target) => target + "_operation";

    /// <summary>
    /// A target's service queue (Cloudify's <c>service</c> routing key): liveness pings (<see cref="ServiceTaskMessage"/>)
    /// and requests about work it already has (kill the operations of an execution).
    /// </summary>
    public static string Service(string target) => target + "_service";

    /// <summary>The task name of a workflow implemented by a script (Cloudify's script plugin).</summary>
    public const string ExecuteWorkflowTask = "script_runner.tasks.execute_workflow";

    /// <summary>Where a running workflow script gets the engine's answers to its requests (one queue per script run).</summary>
    public static string WorkflowScriptReplies(string scriptTaskId, string run) => $"workflow_script_{scriptTaskId}_{run}";

    /// <summary>Per-execution reply queue for operation results (and workflow scripts' requests).</summary>
    public static string ExecutionResponses(string executionId) => "execution_responses_" + executionId;
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Contracts.Tasks;

/// <summary>
/// The typed view of a workflow start message (REST to the workflow engine on <see cref="QueueNames.Workflows"/>):
/// a <see cref="TaskMessage"/> whose kwargs hold the workflow parameters plus a <c>__cloudify_context</c> of type
/// <c>workflow</c>. <see cref="ToTaskMessage"/> builds the wire form, <see cref="FromTaskMessage"/> reads it back.
/// </summary>
public sealed record WorkflowStartMessage
{
    public required string ExecutionId { get; init; }

    /// <summary>e.g. <c>install</c>.</summary>
    public required string WorkflowId { get; init; }

    /// <summary>The workflow's operation, e.g. <c>cloudify.plugins.workflows.install</c>.</summary>
    public required string TaskName { get; init; }

    public required string TenantName { get; init; }

    public string? DeploymentId { get; init; }

    public string? BlueprintId { get; init; }

    /// <summary>The plain execution token (only its SHA-256 hex is stored with the execution).</summary>
    public string? ExecutionToken { get; init; }

    public string? ExecutionCreatorUsername { get; init; }

    /// <summary>Workflow parameters merged with their defaults.</summary>
    public JsonObject Parameters { get; init; } = [];

    public bool Resume { get; init; }

    public bool DryRun { get; init; }

    /// <summary>The task name Cloudify gives a built-in workflow: <c>cloudify.plugins.workflows.&lt;id&gt;</c>.</summary>
    public static string BuiltInTaskName(string workflowId) => "cloudify.plugins.workflows." + workflowId;

    public TaskMessage ToTaskMessage()
    {
        var context = new JsonObject
        {
            ["type"] = "workflow",
            ["task_id"] = ExecutionId,
            ["execution_id"] = ExecutionId,
            ["workflow_id"] = WorkflowId,
            ["task_name"] = TaskName,
            ["task_target"] = QueueNames.Management,
            ["tenant"] = new JsonObject { ["name"] = TenantName },
            ["dry_run"] = DryRun,
            ["resume"] = Resume,
            ["execution_token"] = ExecutionToken,
            ["rest_token"] = ExecutionToken,
            ["execution_creator_username"] = ExecutionCreatorUsername,
        };
        if (DeploymentId is not null)
        {
            context["deployment_id"] = DeploymentId;
        }

        if (BlueprintId is not null)
        {
            context["blueprint_id"] = BlueprintId;
        }

        var kwargs = (JsonObject)Parameters.DeepClone();
        kwargs[TaskContext.KwargName] = context;
        return new TaskMessage { Id = ExecutionId, CloudifyTask = new CloudifyTask { Kwargs = kwargs } };
    }

    /// <summary>Serializes <see cref="ToTaskMessage"/> to the JSON body published on the broker.</summary>
    public byte[] ToBody() => JsonSerializer.SerializeToUtf8Bytes(ToTaskMessage());

    /// <summary>Reads a workflow start message; <see cref="FormatException"/> when it is not one.</summary>
    public static WorkflowStartMessage FromTaskMessage(TaskMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var kwargs = (JsonObject)message.CloudifyTask.Kwargs.DeepClone();
        if (kwargs[TaskContext.KwargName] is not JsonObject context)
        {
            throw new FormatException("The task has no __cloudify_context.");
        }

        kwargs.Remove(TaskContext.KwargName);
        if (Text(context, "type") != "workflow")
        {
            throw new FormatException("The task is not a workflow task.");
        }

        return new WorkflowStartMessage
        {
            ExecutionId = Text(context, "execution_id") ?? message.Id,
            WorkflowId = Text(context, "workflow_id") ?? throw new FormatException("The workflow task has no workflow_id."),
            TaskName = Text(context, "task_name") ?? throw new FormatException("The workflow task has no task_name."),
            TenantName = (context["tenant"] as JsonObject) is { } tenant && Text(tenant, "name") is { } name
                ? name
                : throw new FormatException("The workflow task has no tenant."),
            DeploymentId = Text(context, "deployment_id"),
            BlueprintId = Text(context, "blueprint_id"),
            ExecutionToken = Text(context, "execution_token") ?? Text(context, "rest_token"),
            ExecutionCreatorUsername = Text(context, "execution_creator_username"),
            Parameters = kwargs,
            Resume = context["resume"] is JsonValue resume && resume.TryGetValue(out bool r) && r,
            DryRun = context["dry_run"] is JsonValue dryRun && dryRun.TryGetValue(out bool d) && d,
        };
    }

    /// <summary>Parses a broker message body; <see cref="FormatException"/> when it is not a workflow task.</summary>
    public static WorkflowStartMessage FromBody(ReadOnlySpan<byte> body)
    {
        TaskMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<TaskMessage>(body);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The workflow task is not valid JSON.", ex);
        }

        return FromTaskMessage(message ?? throw new FormatException("The workflow task is empty."));
    }

    private static string? Text(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}

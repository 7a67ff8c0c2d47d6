using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

/// <summary>The <c>__cloudify_context</c> of an operation task, with Cloudify's field names.</summary>
public sealed record TaskContext
{
    public const string KwargName = "__cloudify_context";

    [JsonPropertyName("__cloudify_context")]
    public string ContextVersion { get; init; } = "0.3";

    [JsonPropertyName("type")]
    public string Type { get; init; } = "operation";

    [JsonPropertyName("task_id")]
    public required string TaskId { get; init; }

    /// <summary>e.g. <c>script_runner.tasks.run</c>.</summary>
    [JsonPropertyName("task_name")]
    public required string TaskName { get; init; }

    [JsonPropertyName("execution_id")]
    public required string ExecutionId { get; init; }

    [JsonPropertyName("workflow_id")]
    public required string WorkflowId { get; init; }

    [JsonPropertyName("tenant")]
    public required JsonObject Tenant { get; init; }

    [JsonPropertyName("timeout")]
    public double? Timeout { get; init; }

    [JsonPropertyName("timeout_recoverable")]
    public bool? TimeoutRecoverable { get; init; }

    /// <summary>The node-instance id the operation runs on.</summary>
    [JsonPropertyName("node_id")]
    public string? NodeId { get; init; }

    /// <summary>The node (template) name.</summary>
    [JsonPropertyName("node_name")]
    public string? NodeName { get; init; }

    [JsonPropertyName("plugin")]
    public JsonObject? Plugin { get; init; }

    /// <summary><c>{name, retry_number, max_retries, relationship?: source|target}</c>.</summary>
    [JsonPropertyName("operation")]
    public required JsonObject Operation { get; init; }

    /// <summary>For relationship operations: <c>{node_id, node_name, is_target}</c> of the other side.</summary>
    [JsonPropertyName("related")]
    public JsonObject? Related { get; init; }

    [JsonPropertyName("has_intrinsic_functions")]
    public bool HasIntrinsicFunctions { get; init; }

    [JsonPropertyName("host_id")]
    public string? HostId { get; init; }

    [JsonPropertyName("executor")]
    public string? Executor { get; init; }

    [JsonPropertyName("blueprint_id")]
    public string? BlueprintId { get; init; }

    [JsonPropertyName("deployment_id")]
    public string? DeploymentId { get; init; }

    [JsonPropertyName("deployment_display_name")]
    public string? DeploymentDisplayName { get; init; }

    [JsonPropertyName("local")]
    public bool Local { get; init; }

    /// <summary>Manager REST endpoint(s) the agent calls back: host list and port.</summary>
    [JsonPropertyName("rest_host")]
    public IReadOnlyList<string> RestHost { get; init; } = [];

    [JsonPropertyName("rest_port")]
    public int RestPort { get; init; }

    /// <summary>REST scheme, <c>http</c> or <c>https</c> (Stratus addition; Cloudify always used https).</summary>
    [JsonPropertyName("rest_protocol")]
    public string RestProtocol { get; init; } = "http";

    /// <summary>The plain execution token; it authenticates the agent's REST calls as the execution's creator.</summary>
    [JsonPropertyName("execution_token")]
    public string? ExecutionToken { get; init; }

    [JsonPropertyName("rest_token")]
    public string? RestToken { get; init; }

    [JsonPropertyName("execution_creator_username")]
    public string? ExecutionCreatorUsername { get; init; }

    [JsonPropertyName("workflow_parameters")]
    public JsonObject? WorkflowParameters { get; init; }

    [JsonPropertyName("task_queue")]
    public string? TaskQueue { get; init; }

    [JsonPropertyName("task_target")]
    public string? TaskTarget { get; init; }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

/// <summary>
/// A script workflow's request to the engine running its execution (agent to engine, on the execution's
/// <see cref="QueueNames.ExecutionResponses"/> queue next to operation replies): run an operation on a node instance
/// of the deployment as a task of the execution's graph. The engine answers with a <see cref="TaskResponse"/> on
/// the message's reply-to queue under the same correlation id once the operation ended (after its retries).
/// </summary>
public sealed record WorkflowRequest
{
    /// <summary>The one request type; tells a request apart from an operation reply on the shared queue.</summary>
    public const string ExecuteOperationType = "execute_operation";

    [JsonPropertyName("type")]
    public string Type { get; init; } = ExecuteOperationType;

    /// <summary>The task id of the workflow script making the request.</summary>
    [JsonPropertyName("script_task_id")]
    public required string ScriptTaskId { get; init; }

    [JsonPropertyName("node_instance_id")]
    public required string NodeInstanceId { get; init; }

    /// <summary>Full operation name, e.g. <c>cloudify.interfaces.lifecycle.start</c>.</summary>
    [JsonPropertyName("operation")]
    public required string Operation { get; init; }

    /// <summary>Extra operation inputs (Cloudify's <c>execute_operation(kwargs=...)</c>).</summary>
    [JsonPropertyName("kwargs")]
    public JsonObject? Kwargs { get; init; }

    [JsonPropertyName("allow_kwargs_override")]
    public bool AllowKwargsOverride { get; init; }

    public byte[] ToBody() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>The request in <paramref name="body"/>, or null when the body is something else (an operation reply).</summary>
    public static WorkflowRequest? TryRead(ReadOnlySpan<byte> body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            return node is JsonObject o && o["type"] is JsonValue t && t.TryGetValue(out string? type) && type == ExecuteOperationType
                ? o.Deserialize<WorkflowRequest>()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

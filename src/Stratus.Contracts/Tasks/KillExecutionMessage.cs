using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

/// <summary>
/// Engine to agent, on the agent's <see cref="QueueNames.Control"/> queue: the execution was killed, so stop its running
/// operation processes and drop its operations still queued (Cloudify's kill-cancel).
/// </summary>
public sealed record KillExecutionMessage
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "kill_execution";

    [JsonPropertyName("execution_id")]
    public required string ExecutionId { get; init; }

    /// <summary>When set, only this task's process is stopped (a cancelled workflow script) and the execution is not marked killed.</summary>
    [JsonPropertyName("task_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskId { get; init; }

    public byte[] ToBody() => JsonSerializer.SerializeToUtf8Bytes(this);

    /// <summary>Reads a control message; <see cref="FormatException"/> when it is not a kill request.</summary>
    public static KillExecutionMessage FromBody(ReadOnlySpan<byte> body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<KillExecutionMessage>(body);
            return message is { Type: "kill_execution", ExecutionId.Length: > 0 } ? message : throw new FormatException("Not a kill_execution message.");
        }
        catch (JsonException ex)
        {
            throw new FormatException("The control message is not valid JSON.", ex);
        }
    }
}

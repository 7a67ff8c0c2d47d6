using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

/// <summary>The body of a <see cref="ServiceTaskMessage"/>: the task's name and its arguments.</summary>
public sealed record ServiceTask
{
    [JsonPropertyName("task_name")]
    public required string TaskName { get; init; }

    [JsonPropertyName("kwargs")]
    public JsonObject Kwargs { get; init; } = [];
}

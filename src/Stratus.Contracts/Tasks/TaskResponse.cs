using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

/// <summary>An operation's reply: <c>{"ok": true, "result": ...}</c> or <c>{"ok": false, "error": {...}}</c>.</summary>
public sealed record TaskResponse
{
    [JsonPropertyName("ok")]
    public required bool Ok { get; init; }

    [JsonPropertyName("result")]
    public JsonNode? Result { get; init; }

    [JsonPropertyName("error")]
    public TaskError? Error { get; init; }
}

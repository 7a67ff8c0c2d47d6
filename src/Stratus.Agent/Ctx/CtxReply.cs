using System.Text.Json.Nodes;

namespace Stratus.Agent.Ctx;

/// <summary>A ctx-proxy response: <c>{"type": "result"|"error"|"stop_operation", "payload": ...}</c>.</summary>
internal sealed record CtxReply(string Type, JsonNode? Payload)
{
    public const string Result = "result";
    public const string Error = "error";
    public const string StopOperation = "stop_operation";

    public JsonObject ToJson() => new() { ["type"] = Type, ["payload"] = Payload?.DeepClone() };
}

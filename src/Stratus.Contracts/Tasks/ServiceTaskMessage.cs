using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

/// <summary>
/// Cloudify's service task on a target's service queue: <c>{"service_task": {"task_name": "ping", "kwargs": {}}}</c>.
/// An agent answers <c>ping</c> on the message's reply-to with <c>{"time": &lt;unix seconds&gt;}</c> and the same
/// correlation id; the dispatcher takes an answer holding <c>time</c> as "alive".
/// </summary>
public sealed record ServiceTaskMessage
{
    public const string Ping = "ping";

    [JsonPropertyName("service_task")]
    public required ServiceTask Task { get; init; }

    public byte[] ToBody() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static ServiceTaskMessage ForPing() => new() { Task = new ServiceTask { TaskName = Ping } };

    /// <summary>The service task in <paramref name="body"/>, or null when the body is something else (a kill request).</summary>
    public static ServiceTaskMessage? TryRead(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<ServiceTaskMessage>(body) is { Task.TaskName.Length: > 0 } message ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The answer to a ping, stamped with <paramref name="now"/>.</summary>
    public static byte[] PingReply(DateTimeOffset now) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["time"] = now.ToUnixTimeMilliseconds() / 1000.0 });

    /// <summary>True when <paramref name="body"/> is a ping answer (a JSON object holding <c>time</c>).</summary>
    public static bool IsPingReply(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject answer && answer.ContainsKey("time");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

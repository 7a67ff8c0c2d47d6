using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Client.Models;

/// <summary><c>GET /status</c>: overall <c>OK</c>/<c>Fail</c> and one entry per service.</summary>
public sealed record ManagerStatus
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("services")]
    public JsonObject? Services { get; init; }
}
